import type { SourceRecord } from "@passage/core";
import { describe, expect, it } from "vitest";
import { FEED_LINKAGE_SETTINGS, linkageRecordOfSourceRecords } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { createComparisonPlan, type LinkageRecord } from "../model/prepared-record.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { decideIncrementalLink } from "./decide-incremental-link.ts";

const population = synthesiseFeedPopulation({ persons: 800, seed: 9 });
const { compiled } = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
  training: { randomPairs: 50_000, pairsPerSession: 30_000 },
});
const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);
const person = (id: string, values: Record<string, string>): LinkageRecord => ({ id, values });
const base = {
  given_names: "Zainab",
  family_name: "Okonkwo-Haddad",
  date_of_birth: "1983-04-19",
  sex: "F",
  nationality: "NGA",
};

describe("incremental decisions", () => {
  it("attaches on a corroborated link, creates when nothing links", () => {
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const arriving = plan.prepare(person("benefit:1", { ...base, a_number: "123-456-789" }));
    const attach = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: existing, clusterId: "P1" }],
    });
    expect(attach).toMatchObject({ action: "attach", clusterId: "P1" });
    const stranger = plan.prepare(
      person("visa:9", { given_names: "Piotr", family_name: "Nowak", date_of_birth: "1950-10-10" }),
    );
    expect(
      decideIncrementalLink(compiled, {
        record: stranger,
        candidates: [{ record: existing, clusterId: "P1" }],
      }).action,
    ).toBe("create");
  });

  it("sends name and date of birth alone, a conflicting A-number, or a bridge between persons to review", () => {
    const namesOnly = plan.prepare(
      person("conviction:1", {
        given_names: base.given_names,
        family_name: base.family_name,
        date_of_birth: base.date_of_birth,
      }),
    );
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const review = decideIncrementalLink(compiled, {
      record: namesOnly,
      candidates: [{ record: existing, clusterId: "P1" }],
    });
    expect(review).toMatchObject({ action: "review", reason: "name_and_date_only" });

    const arriving = plan.prepare(
      person("benefit:2", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const holder = plan.prepare(
      person("visa:2", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const conflicting = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: holder, clusterId: "P2" }],
      clusterIdentifiers: new Map([
        ["P2", [{ scheme: "passport:NGA", value: "Q7654321", toleratesTypos: true }]],
      ]),
    });
    expect(conflicting).toMatchObject({ action: "review", reason: "conflicting_identifiers" });

    const other = plan.prepare(
      person("visa:3", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const bridge = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [
        { record: holder, clusterId: "P2" },
        { record: other, clusterId: "P3" },
      ],
    });
    expect(bridge).toMatchObject({ action: "review", reason: "joins_two_persons" });
  });

  it("honours human decisions: cannot-link excludes a person, must-link attaches", () => {
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const arriving = plan.prepare(person("benefit:1", { ...base, a_number: "123456789" }));
    const excluded = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: existing, clusterId: "P1" }],
      decisions: [{ otherRecordId: "court:1", otherClusterId: "P1", decision: "cannot_link" }],
    });
    expect(excluded.action).toBe("create");
    const stranger = plan.prepare(person("visa:9", { given_names: "Piotr", family_name: "Nowak" }));
    const forced = decideIncrementalLink(compiled, {
      record: stranger,
      candidates: [],
      decisions: [{ otherRecordId: "court:1", otherClusterId: "P1", decision: "must_link" }],
    });
    expect(forced).toMatchObject({ action: "attach", clusterId: "P1" });
  });
});

describe("feed adapter", () => {
  it("makes one linkage record per feed:key from its newest rows", () => {
    const row = (version: number, recordedAt: string, fields: Record<string, string>): SourceRecord => ({
      id: String(version),
      feed: "benefit",
      keyValue: "IOE0123456789",
      recordKey: `IOE0123456789|${version === 1 ? "filed" : "approved"}`,
      version,
      fields: { receipt_number: "IOE0123456789", ...fields },
      recordedAt,
    });
    const record = linkageRecordOfSourceRecords([
      row(1, "2024-01-01T00:00:00.000Z", {
        family_name: "Garcia",
        given_names: "Ana",
        a_number: "012345678",
      }),
      row(2, "2024-02-01T00:00:00.000Z", { family_name: "García López", form_type: "I-485" }),
    ]);
    expect(record.id).toBe("benefit:IOE0123456789");
    expect(record.values).toEqual({ family_name: "García López", given_names: "Ana", a_number: "012345678" });
  });
});
