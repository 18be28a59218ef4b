import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AuditedAccess, type AuditLog, LOCAL_OPERATOR } from "@passage/access";
import {
  type App,
  catchUpProjections,
  createApp,
  createRowIngestor,
  loadConfigOrThrow,
} from "@passage/engine";
import { findPersonOfRecord, setCaseAssignment } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ingestSynthFiles,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "../../../engine/src/linkage/testing/linkage-population.ts";
import { createPassageServer } from "../create-passage-server.ts";
import { userOf } from "../testing/api-test-app.ts";

// Redress under load and against disclosure: concurrent resolutions never exhaust a small pool,
// every committed step has its audit entry, and a request once about an asylum or 1367 matter
// stays protected, never telling a reader without the need that it exists.
const PURPOSE = { "x-passage-purpose": "redress review" };
const POOL = 3;
const ASYLEE = {
  family_name: "Pettigrew",
  given_names: "Zacharias",
  date_of_birth: "1979-11-12",
  a_number: "A066600022",
};
const ASYLUM_RECEIPT = "ZLA2390044556";
const U_VISA_RECEIPT = "EAC2290088002";

let app: App;
let server: FastifyInstance;
let database: TestDatabase;
let dataDir: string;
const bearer: Record<string, Record<string, string>> = {};

const get = (who: string, url: string) => server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });
const post = (who: string, url: string, payload: object) =>
  server.inject({ method: "POST", url, headers: { ...bearer[who], ...PURPOSE }, payload });

async function fileOther(who: string, personId: string, statement = "please check my record") {
  const filed = await post(who, "/api/v1/redress", { personId, kind: "other", statement });
  expect(filed.statusCode, filed.body).toBe(201);
  return filed.json().request.requestId as string;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "passage-redress-safety-"));
  app = await createApp(
    loadConfigOrThrow({
      cwd: dataDir,
      env: { PASSAGE_DB_MAX_CONNECTIONS: String(POOL) },
      overrides: { dataDir, databaseUrl: database.url, logLevel: "silent" },
    }),
  );
  server = await createPassageServer(app, { logLevel: "silent", webDirectory: null });
  for (const [who, role, office, needs] of [
    ["steward", "data_steward", "HQ", []],
    // Files the requests the steward decides: a steward without the needs never decides their own.
    ["clerk", "data_steward", "HQ", []],
    ["protected", "data_steward", "HQ", ["asylum", "vawa1367"]],
    ["supervisor", "supervisor", "NYC", ["asylum"]],
  ] as const) {
    await app.access.accounts.createUser(userOf(who, role, { office, confidentialityNeeds: [...needs] }));
    const { token } = await app.access.accounts.createApiToken(who, "test");
    bearer[who] = { authorization: `Bearer ${token}` };
  }
  const files = await writeSynthFiles(120, "redress-safety");
  await ingestSynthFiles(app.store, files);
  removeSynthFiles(files);
  const operator = app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "setup" });
  await app.linkage.linkAll(operator, { training: TEST_TRAINING });
  const ingestor = createRowIngestor({ pool: app.store.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestor.ingest("encounter", {
    ...ASYLEE,
    encounter_id: "EN-ASY-1",
    encounter_type: "interior_arrest",
    event_date: "2023-02-01",
  });
  await ingestor.ingest("benefit", {
    ...ASYLEE,
    receipt_number: ASYLUM_RECEIPT,
    form_type: "I-589",
    event: "filed",
    event_date: "2023-04-01",
  });
  await ingestor.ingest("benefit", {
    family_name: "Vasquez",
    given_names: "Lucia",
    date_of_birth: "1990-01-02",
    a_number: "A077700033",
    receipt_number: U_VISA_RECEIPT,
    form_type: "I-918",
    event: "filed",
    event_date: "2021-06-07",
  });
  await ingestor.close();
  while ((await catchUpProjections(app)).applied > 0);
}, 300_000);

afterAll(async () => {
  await server?.close();
  await app?.shutdown();
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const personOf = async (feed: "encounter" | "benefit", key: string) =>
  (await findPersonOfRecord(app.store.db, feed, key))!;

/** The persons of the synthetic population (none confidential: the synth writes no I-589s here). */
async function plainPersons(count: number): Promise<string[]> {
  const { rows } = await app.store.pool.query<{ person_id: string }>(
    `SELECT p.person_id FROM person p WHERE NOT EXISTS (
       SELECT 1 FROM person_member m JOIN source_record r ON r.feed = m.feed AND r.key_value = m.key_value
       WHERE m.person_id = p.person_id AND r.feed IN ('benefit', 'court'))
     ORDER BY p.person_id LIMIT $1`,
    [count],
  );
  return rows.map((row) => row.person_id);
}

describe("concurrent resolutions with a pool of 3 connections", () => {
  it("answers 14 parallel resolutions of one request with one 200 and 409s, and the server stays up", async () => {
    const [personId] = await plainPersons(1);
    const requestId = await fileOther("clerk", personId!);
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, index) =>
        post("steward", `/api/v1/redress/${requestId}/resolve`, {
          outcome: "denied",
          reason: `duplicate attempt ${index}`,
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(13);
    for (const answer of answers.filter((one) => one.statusCode === 409)) {
      expect([
        "PASSAGE_ERR_REDRESS_ALREADY_RESOLVED",
        "PASSAGE_ERR_REDRESS_RESOLUTION_IN_PROGRESS",
      ]).toContain(answer.json().error.code);
    }
    const shown = (await get("steward", `/api/v1/redress/${requestId}`)).json();
    expect(shown.request.status).toBe("resolved");
    expect(shown.events.filter((event: { step: string }) => event.step === "resolved")).toHaveLength(1);
    expect((await server.inject("/health")).statusCode).toBeLessThan(500);
  }, 60_000);

  it("resolves more different requests at once than the pool has connections", async () => {
    const persons = await plainPersons(POOL * 2);
    const requests = [];
    for (const personId of persons) requests.push(await fileOther("clerk", personId));
    const answers = await Promise.all(
      requests.map((requestId) =>
        post("steward", `/api/v1/redress/${requestId}/resolve`, { outcome: "withdrawn", reason: "asked to" }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(requests.map(() => 200));
  }, 60_000);

  it("takes over a resolution left by a process that ended mid-way, and refuses one in progress", async () => {
    const [, personId] = await plainPersons(2);
    const requestId = await fileOther("clerk", personId!);
    await app.store.pool.query(
      `UPDATE redress_request SET resolving_token = 'other', resolving_by = 'user:someone',
         resolving_since = clock_timestamp() WHERE request_id = $1`,
      [requestId],
    );
    const busy = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "denied",
      reason: "no",
    });
    expect(busy.statusCode, busy.body).toBe(409);
    expect(busy.json().error).toMatchObject({
      code: "PASSAGE_ERR_REDRESS_RESOLUTION_IN_PROGRESS",
      message: expect.stringMatching(/is being resolved by user:someone since .*nothing was written/),
    });
    await app.store.pool.query(
      "UPDATE redress_request SET resolving_since = clock_timestamp() - interval '1 hour' WHERE request_id = $1",
      [requestId],
    );
    const taken = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "denied",
      reason: "no",
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(taken.json().request).toMatchObject({ status: "resolved", resolvingBy: null });
  }, 60_000);
});

describe("every redress write has its audit entry even if the process ends after the commit", () => {
  it("records a resolution as it starts, so a committed one whose outcome entry is lost still has one", async () => {
    const [, , personId] = await plainPersons(3);
    const requestId = await fileOther("clerk", personId!);
    // The log fails for every entry written after the work, as when the pool ended at SIGTERM.
    const failingAfterWork = {
      append: (event: Parameters<AuditLog["append"]>[0]) =>
        event.details.phase === "finished" || event.details.phase === undefined
          ? Promise.reject(new Error("Cannot use a pool after calling end on the pool"))
          : app.access.audit.append(event),
    } as unknown as AuditLog;
    const access = new AuditedAccess(app.access.authorization, failingAfterWork, {
      actor: await app.access.accounts.actorOf("steward"),
      purpose: "redress review",
      requestId: "crash-test",
    });
    await expect(
      app.redress.resolve(access, requestId, { outcome: "denied", reason: "checked: the record is right" }),
    ).rejects.toThrow(/Cannot use a pool/);
    const { rows: events } = await app.store.pool.query(
      "SELECT step FROM redress_event WHERE request_id = $1 AND step = 'resolved'",
      [requestId],
    );
    expect(events).toHaveLength(1);
    const { rows: entries } = await app.store.pool.query<{ content: string }>(
      "SELECT content FROM audit_entry WHERE resource_type = 'RedressRequest' AND resource_id = $1 ORDER BY sequence",
      [requestId],
    );
    const decisions = entries
      .map((entry) => JSON.parse(entry.content) as { action: string; details: Record<string, unknown> })
      .filter((entry) => entry.action === "redress.decide");
    expect(decisions).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ phase: "started" }) }),
    ]);
  });

  it("records filing, review and resolution both as they start and as they finish", async () => {
    const [, , , personId] = await plainPersons(4);
    const requestId = await fileOther("clerk", personId!);
    expect((await post("steward", `/api/v1/redress/${requestId}/review`, {})).statusCode).toBe(200);
    const resolved = await post("steward", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "withdrawn",
      reason: "asked to",
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const { rows } = await app.store.pool.query<{ content: string }>(
      "SELECT content FROM audit_entry WHERE resource_type = 'RedressRequest' AND resource_id = $1 ORDER BY sequence",
      [requestId],
    );
    const steps = rows
      .map((row) => JSON.parse(row.content) as { action: string; details: { phase?: string } })
      .filter((entry) => entry.action !== "redress.read")
      .map((entry) => `${entry.action} ${entry.details.phase}`);
    expect(steps).toEqual([
      "redress.file started",
      "redress.file finished",
      "redress.decide started",
      "redress.decide finished",
      "redress.decide started",
      "redress.decide finished",
    ]);
  });
});

describe("a request about a confidential matter stays confidential and tells no one it exists", () => {
  let asylumRequest: string;

  it("keeps a resolved request about an I-589 from readers without the need after the I-589 is unlinked", async () => {
    const asylee = await personOf("benefit", ASYLUM_RECEIPT);
    if ((await personOf("encounter", "EN-ASY-1")) !== asylee) {
      const linked = await post("protected", "/api/v1/links/decisions", {
        left: "encounter:EN-ASY-1",
        right: `benefit:${ASYLUM_RECEIPT}`,
        decision: "must_link",
        reason: "same A-number, checked",
      });
      expect(linked.statusCode, linked.body).toBe(200);
      while ((await catchUpProjections(app)).applied > 0);
    }
    const personId = await personOf("encounter", "EN-ASY-1");
    expect(await personOf("benefit", ASYLUM_RECEIPT)).toBe(personId);
    const filed = await post("protected", "/api/v1/redress", {
      personId,
      kind: "not_my_record",
      statement: `The asylum application ${ASYLUM_RECEIPT} is not mine.`,
      disputedRecords: [`benefit:${ASYLUM_RECEIPT}`],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    asylumRequest = filed.json().request.requestId;
    expect((await get("steward", `/api/v1/redress/${asylumRequest}`)).statusCode).toBe(404);
    const resolved = await post("protected", `/api/v1/redress/${asylumRequest}/resolve`, {
      outcome: "granted",
      reason: "A-file checked: another person's application",
      unlinks: [`benefit:${ASYLUM_RECEIPT}`],
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    while ((await catchUpProjections(app)).applied > 0);
    expect(await personOf("benefit", ASYLUM_RECEIPT)).not.toBe(personId);

    const shown = await get("steward", `/api/v1/redress/${asylumRequest}`);
    expect(shown.statusCode, shown.body).toBe(404);
    expect(shown.body).not.toContain(ASYLUM_RECEIPT);
    const listed = await get("steward", "/api/v1/redress?status=resolved&limit=1000");
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(asylumRequest);
    // The reader with the need still reads it, flagged.
    const cleared = await get("protected", `/api/v1/redress/${asylumRequest}`);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().request.confidentiality).toEqual(["asylum"]);
  }, 120_000);

  it("keeps the flags and the office a request was filed under after its person is retired", async () => {
    const personId = await personOf("benefit", U_VISA_RECEIPT);
    await setCaseAssignment(app.store.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
    const requestId = await fileOther("supervisor", personId);
    // The person's records move elsewhere and its case assignment goes (as a merge leaves it).
    await app.store.pool.query("INSERT INTO person (person_id) VALUES ('P-ELSEWHERE')");
    await app.store.pool.query("UPDATE person_member SET person_id = 'P-ELSEWHERE' WHERE person_id = $1", [
      personId,
    ]);
    await app.store.pool.query("DELETE FROM case_assignment WHERE person_id = $1", [personId]);
    const { rows } = await app.store.pool.query(
      "SELECT confidentiality, filed_office FROM redress_request WHERE request_id = $1",
      [requestId],
    );
    expect(rows[0]).toEqual({ confidentiality: ["vawa1367"], filed_office: "NYC" });
    expect((await get("steward", `/api/v1/redress/${requestId}`)).statusCode).toBe(404);
    // An update cannot clear the flags (a trigger keeps them).
    await app.store.pool.query("UPDATE redress_request SET confidentiality = '{}' WHERE request_id = $1", [
      requestId,
    ]);
    const after = await app.store.pool.query(
      "SELECT confidentiality FROM redress_request WHERE request_id = $1",
      [requestId],
    );
    expect(after.rows[0].confidentiality).toEqual(["vawa1367"]);
    await app.store.pool.query("UPDATE person_member SET person_id = $1 WHERE person_id = 'P-ELSEWHERE'", [
      personId,
    ]);
    await setCaseAssignment(app.store.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
  });

  it("answers a reader without the need the same for a confidential request as for one that does not exist", async () => {
    const missing = await get("steward", "/api/v1/redress/RR-20990101-00000000");
    const hidden = await get("steward", `/api/v1/redress/${asylumRequest}`);
    expect(hidden.statusCode).toBe(404);
    expect({ status: hidden.statusCode, body: hidden.body.replaceAll(asylumRequest, "ID") }).toEqual({
      status: missing.statusCode,
      body: missing.body.replaceAll("RR-20990101-00000000", "ID"),
    });
  });

  it("lets the filer read back what they filed alike for a 1367 person and an unflagged one", async () => {
    const vawa = await personOf("benefit", U_VISA_RECEIPT);
    const [plain] = await plainPersons(1);
    for (const personId of [vawa, plain!]) {
      await setCaseAssignment(app.store.db, { personId, office: "NYC", assignees: [], updatedBy: "test" });
    }
    const shape = (body: string, requestId: string, personId: string) =>
      body
        .replaceAll(requestId, "ID")
        .replaceAll(personId, "PERSON")
        .replace(/"\d{4}-\d\d-\d\dT[^"]*"/g, '"TIME"')
        .replace(/"sequence":"\d+"/g, '"sequence":"N"');
    const answers = [];
    for (const personId of [vawa, plain!]) {
      const requestId = await fileOther("supervisor", personId, "my record is wrong");
      const shown = await get("supervisor", `/api/v1/redress/${requestId}`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.body).not.toMatch(/vawa1367/);
      const listed = await get("supervisor", `/api/v1/redress?personId=${encodeURIComponent(personId)}`);
      expect(listed.json().requests.map((request: { requestId: string }) => request.requestId)).toContain(
        requestId,
      );
      expect(listed.body).not.toMatch(/vawa1367/);
      answers.push(shape(shown.body, requestId, personId));
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});
