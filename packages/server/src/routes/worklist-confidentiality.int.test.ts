import path from "node:path";
import { LOCAL_OPERATOR } from "@passage/access";
import { catchUpProjections, createRowIngestor, examplePolicyDirectory, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestPerson,
  rederivePersons,
  removalCaseRows,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// A worklist explanation or override must not tell a reader without the need to know that a case
// has an asylum (8 CFR 208.6) or T/U/VAWA (8 U.S.C. 1367) matter: not by citing its record, not by
// the name of a priority rule that fired on it, not by a supervisor's free-text reason.
const PURPOSE = { "x-passage-purpose": "case review" };
const ASYLUM_RECEIPT = "EAC2290077001";
const U_VISA_RECEIPT = "EAC2290077002";
const OVERRIDE_REASON = "Asylum claim filed in 2020: hold until counsel reviews";
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

const benefit = (number: number, receipt: string, form: string, event: string, extra = {}) => ({
  receipt_number: receipt,
  family_name: `Testperson${number}`,
  given_names: "Ana",
  date_of_birth: "1985-05-05",
  a_number: `A${200_000_000 + number}`,
  form_type: form,
  event,
  event_date: "2020-01-10",
  ...extra,
});

async function get(who: string, url: string) {
  const response = await api.server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, needs] of [
    ["officer", "removal_officer", []],
    ["supervisor", "supervisor", []],
    ["cleared", "supervisor", ["asylum", "vawa1367"]],
  ] as const) {
    bearer[who] = {
      authorization: `Bearer ${await api.userToken(userOf(who, role, { confidentialityNeeds: [...needs] }))}`,
    };
  }
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  const asOf = todayUtc();
  // P-1: a final order and a pending asylum application; P-3: a final order and a U visa.
  await ingestPerson(api.app.store, ingestor, "P-1", removalCaseRows({ number: 1, asOf }));
  await ingestPerson(api.app.store, ingestor, "P-3", removalCaseRows({ number: 3, asOf }));
  await ingestor.ingest("benefit", benefit(1, ASYLUM_RECEIPT, "I-589", "filed"));
  await ingestor.ingest(
    "benefit",
    benefit(3, U_VISA_RECEIPT, "I-918", "approved", { valid_from: "2020-01-10", valid_to: "2099-01-01" }),
  );
  await ingestor.close();
  for (const [personId, receipt] of [
    ["P-1", ASYLUM_RECEIPT],
    ["P-3", U_VISA_RECEIPT],
  ] as const) {
    await api.app.store.pool.query(
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, $2)",
      [receipt, personId],
    );
    await setCaseAssignment(api.app.store.db, { personId, office: "HQ", assignees: [], updatedBy: "test" });
  }
  // The memberships above changed after the persons were first derived: derive them again.
  await rederivePersons(api.app.store, ["P-1", "P-3"]);
  while ((await catchUpProjections(api.app)).applied > 0);
  // The 2021 guidelines weigh a pending benefit application (P-1's asylum application) as a mitigating factor.
  await api.app.worklist.activatePolicyFile(
    api.app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "policy" }),
    path.join(examplePolicyDirectory(), "mayorkas-2021.yaml"),
    "confidentiality test",
    { outsideEffectiveDates: true },
  );
  while ((await catchUpProjections(api.app)).applied > 0);
});

afterAll(async () => {
  await api.close();
});

describe("worklist confidentiality", () => {
  it("names a priority rule that fired on an asylum record only to readers with the need", async () => {
    const cleared = await get("cleared", "/api/v1/worklist/P-1/explanation");
    const firedIds = (explained: { explanation: { evaluation: { firedRules: { id: string }[] } } }) =>
      explained.explanation.evaluation.firedRules.map((rule) => rule.id);
    expect(firedIds(cleared)).toContain("possible-relief");
    for (const who of ["officer", "supervisor"]) {
      const explained = await get(who, "/api/v1/worklist/P-1/explanation");
      const listed = (await get(who, "/api/v1/worklist?pageSize=10")).entries.find(
        (entry: { personId: string }) => entry.personId === "P-1",
      );
      for (const shown of [JSON.stringify(explained), JSON.stringify(listed)]) {
        expect(shown).not.toContain("possible-relief");
        expect(shown).not.toContain(ASYLUM_RECEIPT);
      }
      // The rule's effect on the ranking stays: the same tier, a rule withheld in its place.
      expect(explained.explanation.tier).toBe(cleared.explanation.tier);
      expect(firedIds(explained)).toHaveLength(firedIds(cleared).length);
      expect(firedIds(explained)).toContain("withheld-1");
      expect(explained.replay.identical).toBe(true);
    }
  });

  it("keeps the ranking made under the policy since replaced in the history, redacted as the explanation", async () => {
    const cleared = await get("cleared", "/api/v1/worklist/P-1/history");
    expect(cleared.entries.map((entry: { policyId: string }) => entry.policyId)).toEqual([
      "mayorkas-2021",
      "posture-2025",
    ]);
    for (const entry of cleared.entries) expect(entry.replay).toEqual({ identical: true, differences: [] });
    expect(JSON.stringify(cleared)).toContain(ASYLUM_RECEIPT);
    for (const who of ["officer", "supervisor"]) {
      const history = await get(who, "/api/v1/worklist/P-1/history?pageSize=1");
      expect(history).toMatchObject({ total: 2, page: 1, pageSize: 1 });
      const explained = await get(who, "/api/v1/worklist/P-1/explanation");
      expect(history.entries[0].explanation).toEqual(explained.explanation);
      const older = await get(who, "/api/v1/worklist/P-1/history?page=2&pageSize=1");
      expect(older.entries[0]).toMatchObject({ policyId: "posture-2025", explanation: { inputs: null } });
      for (const shown of [JSON.stringify(history), JSON.stringify(older)]) {
        expect(shown).not.toContain("possible-relief");
        expect(shown).not.toContain(ASYLUM_RECEIPT);
      }
    }
  });

  it("keeps a U visa holder with a final order off every worklist, the protection withheld from readers without the need", async () => {
    for (const who of ["cleared", "officer"]) {
      const page = await get(who, "/api/v1/worklist?pageSize=10");
      expect(page.entries.map((entry: { personId: string }) => entry.personId)).not.toContain("P-3");
    }
    const status = (who: string) => get(who, "/api/v1/persons/P-3/status");
    const seen = await status("cleared");
    expect(seen.actionable).toBe(false);
    expect(seen.blockers.map((blocker: { code: string }) => blocker.code)).toContain("VICTIM_PROTECTION");
    const withheld = await status("officer");
    expect(withheld.actionable).toBe(false);
    expect(JSON.stringify(withheld)).not.toMatch(/VICTIM_PROTECTION|U_STATUS|T, U, VAWA/);
    expect(JSON.stringify(withheld)).not.toContain(U_VISA_RECEIPT);
    expect(withheld.blockers).toEqual([expect.objectContaining({ code: "withheld-1", detail: null })]);
  });

  it("withholds an override's reason on a case with a confidential record from readers without the need", async () => {
    const cleared = await get("cleared", "/api/v1/worklist/P-1/explanation");
    const tier = cleared.entry.tier === 1 ? 2 : 1;
    const overridden = await api.server.inject({
      method: "POST",
      url: "/api/v1/worklist/P-1/override",
      headers: { ...bearer.supervisor, ...PURPOSE },
      payload: { tier, reason: OVERRIDE_REASON },
    });
    expect(overridden.statusCode, overridden.body).toBe(200);
    // The answer to the supervisor who made it is the worklist as that supervisor may see it.
    expect(overridden.body).not.toContain(ASYLUM_RECEIPT);
    expect(overridden.json().override).toMatchObject({ tier, reason: null });
    expect(overridden.json().explanation.inputs).toBeNull();

    for (const who of ["officer", "supervisor"]) {
      const explained = await get(who, "/api/v1/worklist/P-1/explanation");
      expect(explained.overrides).toEqual([expect.objectContaining({ tier, reason: null })]);
      expect(explained.entry.override).toMatchObject({ tier, reason: null });
      const page = await get(who, "/api/v1/worklist?pageSize=10");
      expect(JSON.stringify(page)).not.toContain(OVERRIDE_REASON);
    }
    const seen = await get("cleared", "/api/v1/worklist/P-1/explanation");
    expect(seen.overrides).toEqual([expect.objectContaining({ tier, reason: OVERRIDE_REASON })]);
    expect(seen.entry.override.reason).toBe(OVERRIDE_REASON);
  });
});
