import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { catchUpProjections, createRowIngestor, examplePolicyDirectory, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

const PURPOSE = { "x-passage-purpose": "case review" };
const ASYLUM_RECEIPT = "EAC2190099001";
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

async function get(who: string, url: string, purpose = true) {
  return api.server.inject({ url, headers: { ...bearer[who], ...(purpose ? PURPOSE : {}) } });
}

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role, needs] of [
    ["officer", "removal_officer", []],
    // Both needs: the confidential field group is shown only to a reader who would see it on any
    // person, whatever matters the person holds (confidential-disclosure.int.test.ts).
    ["counsel", "legal_counsel", ["asylum", "vawa1367"]],
    ["steward", "data_steward", []],
    ["supervisor", "supervisor", []],
    // Both needs: a reader lacking either sees no case's raw facts (worklist-redaction.int.test.ts).
    ["cleared", "supervisor", ["asylum", "vawa1367"]],
    ["planner", "transport_planner", []],
    ["auditor", "auditor", []],
    ["admin", "admin", []],
  ] as const) {
    bearer[who] = {
      authorization: `Bearer ${await api.userToken(userOf(who, role, { confidentialityNeeds: [...needs] }))}`,
    };
  }
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  const rows = removalCaseRows({ number: 1, asOf: todayUtc() });
  const asylum: [string, Record<string, string>] = [
    "benefit",
    {
      receipt_number: ASYLUM_RECEIPT,
      family_name: "Testperson1",
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: "A200000001",
      form_type: "I-589",
      event: "filed",
      event_date: "2020-01-10",
    },
  ];
  await ingestPerson(api.app.store, ingestor, "P-1", rows);
  await ingestor.ingest(asylum[0], asylum[1]);
  await ingestor.flush();
  await api.app.store.pool.query(
    "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, 'P-1')",
    [ASYLUM_RECEIPT],
  );
  await ingestPerson(api.app.store, ingestor, "P-2", removalCaseRows({ number: 2, asOf: todayUtc() }));
  await ingestor.close();
  await setCaseAssignment(api.app.store.db, {
    personId: "P-1",
    office: "HQ",
    assignees: [],
    updatedBy: "test",
  });
  await setCaseAssignment(api.app.store.db, {
    personId: "P-2",
    office: "NYC",
    assignees: [],
    updatedBy: "test",
  });
  while ((await catchUpProjections(api.app)).applied > 0);
});

afterAll(async () => {
  await api.close();
});

describe("persons, records and status", () => {
  it("needs a stated purpose for case data", async () => {
    const response = await get("officer", "/api/v1/persons/P-1", false);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED");
  });

  it("shows a person with sourced identity values and status, confidential matters only to those with the need", async () => {
    const officer = (await get("officer", "/api/v1/persons/P-1")).json();
    expect(officer.person.family_name).toEqual([
      { value: "Testperson1", sources: expect.arrayContaining(["admission:90000000001"]) },
    ]);
    expect(officer.person.state.primary).toBe("FINAL_ORDER");
    expect(officer.hiddenFieldGroups).toEqual(["confidential"]);
    expect(officer.person.confidential_benefits).toBeUndefined();
    expect(JSON.stringify(officer.person)).not.toContain(ASYLUM_RECEIPT.slice(3));
    const counsel = (await get("counsel", "/api/v1/persons/P-1")).json();
    expect(counsel.hiddenFieldGroups).toEqual([]);
    expect(counsel.person.confidential_benefits).toEqual([
      expect.objectContaining({ record: `benefit:${ASYLUM_RECEIPT}|filed` }),
    ]);
    expect(
      counsel.person.confidential_overlays.map((overlay: { overlay: string }) => overlay.overlay),
    ).toEqual(["CONFIDENTIAL_ASYLUM"]);
  });

  it("refuses a person of another office", async () => {
    const response = await get("officer", "/api/v1/persons/P-2");
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("PASSAGE_ERR_ACCESS_DENIED");
    expect((await get("steward", "/api/v1/persons/NOBODY")).statusCode).toBe(404);
  });

  it("lists a person's records filtered in SQL by the same policies", async () => {
    const officer = (await get("officer", "/api/v1/persons/P-1/records")).json().records as {
      feed: string;
    }[];
    const counsel = (await get("counsel", "/api/v1/persons/P-1/records")).json().records as {
      feed: string;
    }[];
    expect(officer.some((record) => record.feed === "benefit")).toBe(false);
    expect(counsel.some((record) => record.feed === "benefit")).toBe(true);
    expect(counsel.length).toBe(officer.length + 1);
    const nobody = await get("counsel", "/api/v1/persons/NOBODY/records");
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error.code).toBe("PASSAGE_ERR_HTTP_PERSON_NOT_FOUND");
  });

  it("answers status with evidence, bitemporally, without the confidential overlay for the officer", async () => {
    const officer = (await get("officer", `/api/v1/persons/P-1/status?as-of=${todayUtc()}`)).json();
    expect(officer).toMatchObject({ person_id: "P-1", as_of: todayUtc(), facts: null });
    expect(officer.overlays.map((overlay: { overlay: string }) => overlay.overlay)).not.toContain(
      "CONFIDENTIAL_ASYLUM",
    );
    const counsel = (await get("counsel", "/api/v1/persons/P-1/status")).json();
    expect(counsel.overlays.map((overlay: { overlay: string }) => overlay.overlay)).toContain(
      "CONFIDENTIAL_ASYLUM",
    );
    const past = (await get("counsel", "/api/v1/persons/P-1/status?as-of=2000-01-01")).json();
    expect(past.state.primary).not.toBe(counsel.state.primary);
    const bad = await get("counsel", "/api/v1/persons/P-1/status?as-of=yesterday");
    expect(bad.statusCode).toBe(400);
    const byRecord = (await get("officer", "/api/v1/records/admission/90000000001/status")).json();
    expect(byRecord.person_id).toBe("P-1");
  });

  it("shows a record's provenance, and never a protected record to a reader without the need", async () => {
    const record = (await get("officer", "/api/v1/records/admission/90000000001")).json();
    expect(record).toMatchObject({ record: "admission:90000000001", personId: "P-1" });
    expect(record.versions[0]).toMatchObject({
      version: 1,
      sourceKind: "stream",
      sourceName: "test",
      raw: expect.any(Object),
    });
    // A reader without the need is answered exactly as for a record that does not exist (8 CFR
    // 208.6: not even the fact of the application; for this office-scoped officer, a refusal), and
    // the audit log keeps the denial.
    for (const who of ["officer", "steward"]) {
      const protectedRecord = await get(who, `/api/v1/records/benefit/${ASYLUM_RECEIPT}`);
      const noRecord = await get(who, "/api/v1/records/benefit/ZZZ9999999999");
      expect(protectedRecord.statusCode).toBe(noRecord.statusCode);
      expect(protectedRecord.body.replaceAll(ASYLUM_RECEIPT, "KEY")).toBe(
        noRecord.body.replaceAll("ZZZ9999999999", "KEY"),
      );
    }
    // The steward works for every office: a record that is not there is a 404, and so is this one.
    expect((await get("steward", `/api/v1/records/benefit/${ASYLUM_RECEIPT}`)).statusCode).toBe(404);
    const { rows } = await api.app.store.pool.query(
      `SELECT content::jsonb->>'decision' AS decision FROM audit_entry
        WHERE content::jsonb->>'action' = 'record.read' AND content::jsonb->>'resourceId' = $1
        ORDER BY sequence DESC LIMIT 1`,
      [`benefit:${ASYLUM_RECEIPT}`],
    );
    expect(rows).toEqual([{ decision: "deny" }]);
    expect((await get("counsel", `/api/v1/records/benefit/${ASYLUM_RECEIPT}`)).statusCode).toBe(200);
    expect((await get("counsel", "/api/v1/records/nofeed/1")).statusCode).toBe(400);
  });
});

describe("feeds", () => {
  it("streams NDJSON rows into ingest: per-row outcomes, a refused column refuses its row", async () => {
    const lines = [
      {
        departure_id: "DEP-100",
        departure_date: "2024-01-15",
        mode: "air",
        evidence: "carrier_manifest",
        reported_at: "2024-01-15T10:00:00Z",
      },
      {
        departure_id: "DEP-101",
        departure_date: "2024-01-16",
        mode: "land",
        evidence: "self_report",
        reported_at: "2024-01-17T10:00:00Z",
      },
    ].map((row) => JSON.stringify(row));
    const body = [
      ...lines,
      "{broken",
      JSON.stringify({
        departure_id: "DEP-102",
        departure_date: "2024-01-16",
        mode: "air",
        evidence: "carrier_manifest",
        reported_at: "2024-01-17T10:00:00Z",
        gps_latitude: "1",
      }),
    ].join("\n");
    const response = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/departure/records",
      headers: { ...bearer.steward, ...PURPOSE, "content-type": "application/x-ndjson" },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ feed: "departure", read: 4, new: 2, rejected: 1, refused: 1 });
    expect(response.json().rejects).toEqual([
      expect.objectContaining({ line: 3, outcome: "rejected" }),
      expect.objectContaining({ line: 4, outcome: "refused", column: "gps_latitude" }),
    ]);
    const again = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/departure/records?results=lines",
      headers: { ...bearer.steward, ...PURPOSE, "content-type": "application/x-ndjson" },
      payload: lines[0]!,
    });
    expect(again.headers["content-type"]).toContain("application/x-ndjson");
    expect(JSON.parse(again.body.trim())).toMatchObject({
      line: 1,
      outcome: "unchanged",
      record: "departure:DEP-100",
    });
    const unknown = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/nonsense/records",
      headers: { ...bearer.steward, "content-type": "application/x-ndjson" },
      payload: lines[0]!,
    });
    expect(unknown.statusCode).toBe(400);
    const compressed = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/departure/records",
      headers: {
        ...bearer.steward,
        ...PURPOSE,
        "content-type": "application/x-ndjson",
        "content-encoding": "gzip",
      },
      payload: gzipSync(lines[0]!),
    });
    expect(compressed.statusCode, compressed.body).toBe(415);
    expect(compressed.json().error.code).toBe("PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("worklist and policies", () => {
  it("lists the worklist by tier with explanations, and the policies in force", async () => {
    const page = (await get("planner", "/api/v1/worklist?page=1&pageSize=10")).json();
    expect(page.policy.id).toBe("posture-2025");
    expect(page.entries.map((entry: { personId: string }) => entry.personId)).toEqual(
      expect.arrayContaining(["P-1", "P-2"]),
    );
    const explained = (await get("supervisor", "/api/v1/worklist/P-1/explanation")).json();
    expect(explained.replay.identical).toBe(true);
    const policies = (await get("officer", "/api/v1/policies")).json();
    expect(policies.versions.some((version: { active: boolean }) => version.active)).toBe(true);
  });

  it("lists, counts and explains only the cases whose status the caller may read", async () => {
    const personIds = (body: { entries: { personId: string }[] }) =>
      body.entries.map((entry) => entry.personId);
    // HQ staff: P-1 is HQ's, P-2 is NYC's.
    for (const who of ["officer", "supervisor"]) {
      const page = await get(who, "/api/v1/worklist?pageSize=10");
      expect(page.statusCode).toBe(200);
      expect([personIds(page.json()), page.json().total]).toEqual([["P-1"], 1]);
    }
    const everyOffice = (await get("planner", "/api/v1/worklist?pageSize=1")).json();
    expect([everyOffice.entries.length, everyOffice.total]).toEqual([1, 2]);
    // Refused exactly as the status read of the same person is.
    const status = await get("officer", "/api/v1/persons/P-2/status");
    const explanation = await get("officer", "/api/v1/worklist/P-2/explanation");
    expect([explanation.statusCode, explanation.json().error.code]).toEqual([
      status.statusCode,
      status.json().error.code,
    ]);
    expect(explanation.statusCode).toBe(403);
    expect((await get("officer", "/api/v1/worklist/P-1/explanation")).statusCode).toBe(200);
    expect((await get("planner", "/api/v1/worklist/P-2/explanation")).statusCode).toBe(200);
  });

  it("cites a flagged record in a worklist explanation only to readers with the need, as the status read does", async () => {
    const asylumRecord = `"recordKey":"${ASYLUM_RECEIPT}`;
    const explanationOf = async (who: string) => {
      const page = (await get(who, "/api/v1/worklist?pageSize=10")).json();
      const listed = page.entries.find((entry: { personId: string }) => entry.personId === "P-1");
      const explained = await get(who, "/api/v1/worklist/P-1/explanation");
      expect(explained.statusCode).toBe(200);
      return { listed: JSON.stringify(listed), explained: explained.json() };
    };
    const cleared = await explanationOf("cleared");
    expect(cleared.listed).toContain(asylumRecord);
    expect(JSON.stringify(cleared.explained)).toContain(asylumRecord);
    expect(cleared.explained.explanation.inputs).not.toBeNull();
    for (const who of ["officer", "supervisor", "planner"]) {
      const { listed, explained } = await explanationOf(who);
      expect(listed).not.toContain(ASYLUM_RECEIPT);
      expect(JSON.stringify(explained)).not.toContain(ASYLUM_RECEIPT);
      // The raw facts go, as the status's do; the ranking, its rules and gates stay, and replay.
      expect([explained.explanation.inputs, explained.entry.explanation.inputs]).toEqual([null, null]);
      expect(explained.explanation.tier).toBe(cleared.explained.explanation.tier);
      expect(explained.explanation.gates.results.map((gate: { gate: string }) => gate.gate)).toEqual(
        cleared.explained.explanation.gates.results.map((gate: { gate: string }) => gate.gate),
      );
      expect(explained.replay.identical).toBe(true);
    }
  });

  it("lists only the transport plans the caller may open", async () => {
    const create = async (office: string) => {
      const response = await api.server.inject({
        method: "POST",
        url: "/api/v1/transport-plans",
        headers: { ...bearer.planner, ...PURPOSE },
        payload: { from: todayUtc(), to: todayUtc(), office },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().planId as string;
    };
    const hq = await create("HQ");
    const nyc = await create("NYC");
    const planIds = async (who: string, query = "") =>
      (await get(who, `/api/v1/transport-plans${query}`))
        .json()
        .plans.map((plan: { planId: string }) => plan.planId);
    expect((await get("officer", `/api/v1/transport-plans/${nyc}`)).statusCode).toBe(403);
    expect(await planIds("officer")).toEqual([hq]);
    // Another office's plans asked for by name are refused, as that office's worklist is.
    expect((await get("officer", "/api/v1/transport-plans?office=NYC")).statusCode).toBe(403);
    expect(await planIds("planner")).toEqual([nyc, hq]);
    expect(await planIds("planner", "?office=NYC")).toEqual([nyc]);

    // HQ's plan places every office's ready cases (flights are shared): the HQ officer is shown by
    // name only the persons whose status the officer may read, and counted the others.
    type Shown = {
      manifests: { passengers: { personId: string }[]; passengersWithheld: number }[];
      leftOut: { personId: string }[];
      leftOutWithheld: number;
    };
    const seen = (plan: Shown) => ({
      named: [
        ...plan.manifests.flatMap((manifest) => manifest.passengers.map((passenger) => passenger.personId)),
        ...plan.leftOut.map((left) => left.personId),
      ].sort(),
      withheld:
        plan.leftOutWithheld +
        plan.manifests.reduce((total, manifest) => total + manifest.passengersWithheld, 0),
    });
    const planner = seen((await get("planner", `/api/v1/transport-plans/${hq}`)).json());
    expect(planner).toEqual({ named: ["P-1", "P-2"], withheld: 0 });
    const officer = (await get("officer", `/api/v1/transport-plans/${hq}`)).json();
    expect(seen(officer)).toEqual({ named: ["P-1"], withheld: 1 });
    expect(JSON.stringify(officer)).not.toContain(`"P-2"`);
    // Naming persons reads their status: without a purpose the plan is refused, not shown with everyone counted.
    const unstated = await get("planner", `/api/v1/transport-plans/${hq}`, false);
    expect(unstated.statusCode).toBe(400);
    expect(unstated.json().error.code).toBe("PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED");
  });

  it("checks, diffs and dry-runs a published policy", async () => {
    const text = readFileSync(path.join(examplePolicyDirectory(), "mayorkas-2021.yaml"), "utf8");
    const post = (who: string, url: string, payload: unknown) =>
      api.server.inject({
        method: "POST",
        url,
        headers: { ...bearer[who], ...PURPOSE },
        payload: payload as object,
      });
    const checked = (
      await post("officer", "/api/v1/policies/check", { text, fileName: "mayorkas-2021.yaml" })
    ).json();
    expect(checked).toMatchObject({ valid: true, id: "mayorkas-2021" });
    const invalid = (await post("officer", "/api/v1/policies/check", { text: "id: [unclosed" })).json();
    expect(invalid.valid).toBe(false);
    expect(invalid.problems.length).toBeGreaterThan(0);
    const diff = (await post("officer", "/api/v1/policies/diff", { after: { text } })).json();
    expect(diff.identical).toBe(false);
    const dryRun = await post("supervisor", "/api/v1/policies/dry-run", {
      text,
      fileName: "mayorkas-2021.yaml",
    });
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    expect(dryRun.json().cases).toBeGreaterThanOrEqual(2);
    // A refused policy is named as the caller named it, never by the server's temporary path.
    const refused = await post("supervisor", "/api/v1/policies/dry-run", { text: "id: [unclosed" });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(refused.body, refused.body).not.toContain(tmpdir());
    expect(JSON.stringify(invalid)).not.toContain(tmpdir());
  });
});

describe("audit and metrics", () => {
  it("verifies the log, signs a checkpoint and proves an entry", async () => {
    const checkpoint = await api.server.inject({
      method: "POST",
      url: "/api/v1/audit/checkpoints",
      headers: bearer.admin,
      payload: {},
    });
    expect(checkpoint.statusCode, checkpoint.body).toBe(200);
    const verification = (await get("auditor", "/api/v1/audit/verification")).json();
    expect(verification).toMatchObject({ ok: true, problems: [] });
    const proof = (await get("auditor", "/api/v1/audit/entries/0/proof")).json();
    expect(proof).toMatchObject({ index: 0, verified: true });
    const checkpoints = (await get("auditor", "/api/v1/audit/checkpoints")).json();
    expect(checkpoints.checkpoints.length).toBeGreaterThan(0);
    const denied = (await get("auditor", "/api/v1/audit/entries?limit=50")).json().entries as {
      decision: string;
    }[];
    expect(denied.some((entry) => entry.decision === "deny")).toBe(true);
  });

  it("exposes business gauges to Prometheus, and no count of people", async () => {
    const metrics = (await api.server.inject("/api/v1/metrics")).body;
    expect(metrics).toMatch(/^passage_audit_entries [1-9]\d*$/m);
    expect(metrics).toContain("passage_records");
    // Public: a count of persons, actionable cases or open redress requests sums the oversight
    // report's cells, and beside them would give a withheld cell away by subtraction.
    expect(metrics).not.toMatch(/^passage_(persons|actionable_cases|redress_open)\b/m);
  });
});
