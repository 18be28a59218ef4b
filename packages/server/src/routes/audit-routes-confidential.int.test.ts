import { sampleAuditEvent } from "@passage/access/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// The audit log must not tell a reader without the need which record keys are asylum or 1367
// cases (8 CFR 208.6, 8 U.S.C. 1367: not even that such a case exists). Review finding.

let api: ApiTestApp;
let auditor: { authorization: string };
let privacyOfficer: { authorization: string };

/** Refused record reads as the record route records them: a 1367 case, an asylum case, no such key. */
const REFUSALS = [
  { key: "benefit:EAC0000001367", reasons: ["vawa-1367-need-to-know"] },
  { key: "benefit:EAC0000000208", reasons: ["asylum-need-to-know"] },
  { key: "benefit:EAC0000000404", reasons: ["default-deny"] },
];

beforeAll(async () => {
  api = await createApiTestApp();
  auditor = { authorization: `Bearer ${await api.userToken(userOf("auditor", "auditor"))}` };
  privacyOfficer = {
    authorization: `Bearer ${await api.userToken(
      userOf("privacy", "privacy_officer", { confidentialityNeeds: ["asylum", "vawa1367"] }),
    )}`,
  };
  for (const [number, { key, reasons }] of REFUSALS.entries()) {
    await api.app.access.audit.append(
      sampleAuditEvent(number, {
        action: "record.read",
        resourceType: "Record",
        resourceId: key,
        decision: "deny",
        outcome: "failure",
        errorCode: "PASSAGE_ERR_ACCESS_DENIED",
        reasons,
      }),
    );
  }
  await api.app.access.audit.checkpoint();
});
afterAll(async () => {
  await api.close();
});

async function entryOf(key: string, headers: { authorization: string }) {
  const page = await api.server.inject({
    url: `/api/v1/audit/entries?resourceType=Record&resourceId=${key}`,
    headers,
  });
  expect(page.statusCode, page.body).toBe(200);
  const [entry] = page.json().entries as Record<string, unknown>[];
  return entry!;
}

describe("audit entries about confidential records", () => {
  it("show an auditor the same withheld decision and reasons for a 1367 case, an asylum case and a missing key", async () => {
    const shown = [];
    for (const { key } of REFUSALS) {
      const entry = await entryOf(key, auditor);
      expect(entry).toMatchObject({
        resourceId: key,
        outcome: "failure",
        decision: "withheld",
        errorCode: "withheld",
        reasons: ["withheld"],
        withheld: ["decision", "errorCode", "reasons"],
      });
      const {
        index: _index,
        resourceId: _key,
        leafHash: _leaf,
        time: _time,
        requestId: _id,
        ...rest
      } = entry;
      shown.push(JSON.stringify(rest));
    }
    expect(new Set(shown).size).toBe(1);
  });

  it("show them as recorded to a reader with the needs, and the proof verifies the stored entry", async () => {
    const entry = await entryOf(REFUSALS[0]!.key, privacyOfficer);
    expect(entry).toMatchObject({ decision: "deny", reasons: ["vawa-1367-need-to-know"] });
    expect(entry).not.toHaveProperty("withheld");

    const proof = await api.server.inject({
      url: `/api/v1/audit/entries/${entry.index}/proof`,
      headers: auditor,
    });
    expect(proof.statusCode, proof.body).toBe(200);
    expect(proof.json()).toMatchObject({
      verified: true,
      leafHash: entry.leafHash,
      entry: { reasons: ["withheld"], withheld: ["decision", "errorCode", "reasons"] },
    });
  });
});
