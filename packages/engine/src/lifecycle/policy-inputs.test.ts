import type { SourceRecord } from "@passage/core";
import { describe, expect, it } from "vitest";
import { identityKnownFrom } from "./policy-inputs.ts";

const record = (recordKey: string, version: number) =>
  ({ feed: "visa", recordKey, version }) as unknown as SourceRecord;
const citation = (recordKey: string, version: number) => ({ feed: "visa" as const, recordKey, version });

describe("identityKnownFrom", () => {
  it("leaves out identity issues citing a record version not known at the moment asked about", () => {
    const identity = {
      reviewBandLinks: [
        { matchProbability: 0.7, evidence: [citation("V1", 1), citation("DD1", 2)] },
        { matchProbability: 0.6, evidence: [citation("V1", 1), citation("DD1", 1)] },
      ],
      conflictingIdentifiers: [
        { identifier: "a_number", evidence: [citation("DD1", 2)] },
        { identifier: "passport", evidence: [citation("V1", 1)] },
      ],
      unlinkedRecords: [
        { record: "visa:V1", evidence: [citation("V1", 1)] },
        { record: "visa:DD1", evidence: [citation("DD1", 2)] },
      ],
      outdatedMustLinks: [
        { decisionId: "7", record: "visa:V1", evidence: [citation("V1", 1)] },
        { decisionId: "7", record: "visa:DD1", evidence: [citation("DD1", 2)] },
      ],
    };
    // Known then: V1 v1 and DD1 v1 (DD1 v2 was stored later).
    expect(identityKnownFrom(identity, [record("V1", 1), record("DD1", 1)])).toEqual({
      reviewBandLinks: [identity.reviewBandLinks[1]],
      conflictingIdentifiers: [identity.conflictingIdentifiers[1]],
      unlinkedRecords: [identity.unlinkedRecords[0]],
      outdatedMustLinks: [identity.outdatedMustLinks[0]],
    });
  });
});
