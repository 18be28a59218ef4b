import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassageError } from "@passage/core";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditEntry, decodeAuditEntryOrThrow } from "./audit/audit-entry.ts";
import type { AuditLog } from "./audit-log/audit-log.ts";
import { AuditedAccess } from "./audited-access.ts";
import type { AccessResource } from "./authorization/access-service.ts";
import { LOCAL_OPERATOR } from "./authorization/actor.ts";
import { ACTIONS, WRITE_ACTIONS } from "./authorization/vocabulary.ts";
import { type Access, createAccess } from "./create-access.ts";

let database: TestDatabase;
let dataDir: string;
let access: Access;

const officer = {
  kind: "user",
  id: "ro1",
  roles: ["removal_officer"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
} as const;
const caseAttributes = { office: "NYC", assignees: [], confidentiality: [], country: "MEX" };
const person = (id: string, office: string, confidentiality: ("asylum" | "vawa1367")[] = []) =>
  ({ type: "Person", id, attributes: { office, assignees: [], confidentiality } }) as const;

async function entries(): Promise<AuditEntry[]> {
  await access.audit.flush();
  const rows = await access.auditRepository.findEntries({ limit: 100 });
  return rows.map((row) => decodeAuditEntryOrThrow(row.content)).reverse();
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audited-"));
  access = createAccess({ database, dataDir });
});
afterAll(async () => {
  await access.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("audited access for one request", () => {
  it("records allowed, denied and failed actions with actor, purpose, resource, decision and outcome", async () => {
    const request = access.forRequest({ actor: officer, purpose: "case_review", requestId: "req-1" });
    expect(await request.run("person.read", person("p1", "NYC"), () => "ok")).toBe("ok");
    await expect(request.run("person.read", person("p2", "LAX"), () => "never")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_DENIED",
    });
    await expect(
      request.run("person.read", person("p3", "NYC"), () => {
        throw new PassageError("PASSAGE_ERR_TEST_BROKEN", "internal", "broken");
      }),
    ).rejects.toThrow(/broken/);
    const noPurpose = access.forRequest({ actor: officer, purpose: "", requestId: "req-2" });
    await expect(noPurpose.run("person.read", person("p1", "NYC"), () => "x")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED",
    });
    const recorded = await entries();
    expect(
      recorded.map((entry) => [
        entry.requestId,
        entry.actor,
        entry.purpose,
        entry.action,
        entry.resourceId,
        entry.decision,
        entry.outcome,
        entry.errorCode,
      ]),
    ).toEqual([
      ["req-1", "user:ro1", "case_review", "person.read", "p1", "allow", "success", null],
      [
        "req-1",
        "user:ro1",
        "case_review",
        "person.read",
        "p2",
        "deny",
        "failure",
        "PASSAGE_ERR_ACCESS_DENIED",
      ],
      [
        "req-1",
        "user:ro1",
        "case_review",
        "person.read",
        "p3",
        "allow",
        "failure",
        "PASSAGE_ERR_TEST_BROKEN",
      ],
      [
        "req-2",
        "user:ro1",
        "(none stated)",
        "person.read",
        "p1",
        "deny",
        "failure",
        "PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED",
      ],
    ]);
    expect(recorded[0]!.reasons).toEqual(["removal-officer.case-reads"]);
  });

  it("records a request refused for an over-long purpose as denied, the purpose cut with a marker", async () => {
    const purpose = "p".repeat(300);
    const request = access.forRequest({ actor: officer, purpose, requestId: "req-long" });
    expect(request.can("person.read", person("p1", "NYC"))).toBe(false);
    await expect(request.run("person.read", person("p1", "NYC"), () => "x")).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_REQUEST_INVALID",
    });
    await expect(request.readPerson(person("p1", "NYC"), () => ({ person_id: "p1" }))).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_REQUEST_INVALID",
    });
    await expect(request.list("record.read", "p1", async () => ["x"])).rejects.toMatchObject({
      code: "PASSAGE_ERR_ACCESS_REQUEST_INVALID",
    });
    const recorded = (await entries()).filter((entry) => entry.requestId === "req-long");
    expect(
      recorded.map((entry) => [entry.action, entry.resourceId, entry.decision, entry.errorCode]),
    ).toEqual([
      ["person.read", "p1", "deny", "PASSAGE_ERR_ACCESS_REQUEST_INVALID"],
      ["person.read", "p1", "deny", "PASSAGE_ERR_ACCESS_REQUEST_INVALID"],
      ["record.read", "p1", "deny", "PASSAGE_ERR_ACCESS_REQUEST_INVALID"],
    ]);
    for (const entry of recorded) {
      expect(entry.reasons).toEqual(["request-invalid"]);
      expect(entry.purpose.startsWith("p".repeat(200))).toBe(true);
      expect(entry.purpose).toContain("[truncated: 300 characters stated]");
    }
  });

  it("reads a person with the hidden field groups removed and named in the entry", async () => {
    const request = access.forRequest({ actor: officer, purpose: "case_review", requestId: "req-3" });
    const { view, hidden } = await request.readPerson(person("p4", "NYC", ["asylum"]), () => ({
      person_id: "p4",
      family_name: "Doe",
      convictions: ["THEFT"],
      confidential_benefits: ["I-589 filed 2024-01-02"],
    }));
    expect(view).toEqual({ person_id: "p4", family_name: "Doe", convictions: ["THEFT"] });
    expect(hidden).toEqual(["confidential"]);
    expect((await entries()).at(-1)!.details).toEqual({ fieldsHidden: ["confidential"] });
  });

  it("filters a list in SQL with the policies and records one entry with the count", async () => {
    await sql`CREATE TABLE listed_person (id text PRIMARY KEY, office text NOT NULL, assignees text[] NOT NULL,
      confidentiality text[] NOT NULL)`.execute(database.db);
    await sql`INSERT INTO listed_person VALUES ('a', 'NYC', '{}', '{}'), ('b', 'LAX', '{}', '{}'),
      ('c', 'LAX', '{ro1}', '{}'), ('d', 'NYC', '{}', '{asylum}')`.execute(database.db);
    const request = access.forRequest({ actor: officer, purpose: "case_review", requestId: "req-4" });
    const rows = await request.list("record.read", "records:all", async (filter) => {
      const columns = {
        office: sql.ref("office"),
        assignees: sql.ref("assignees"),
        confidentiality: sql.ref("confidentiality"),
      };
      const result = await sql<{
        id: string;
      }>`SELECT id FROM listed_person WHERE ${filter.toSql(columns)} ORDER BY id`.execute(database.db);
      return result.rows.map((row) => row.id);
    });
    expect(rows).toEqual(["a", "c"]);
    const entry = (await entries()).at(-1)!;
    expect(entry).toMatchObject({ action: "record.read", resourceType: "Record", resourceId: "records:all" });
    expect(entry.details).toMatchObject({ list: true, rows: 2 });
    const auditor = access.forRequest({
      actor: { ...officer, id: "au1", roles: ["auditor"] },
      purpose: "oversight",
      requestId: "req-5",
    });
    expect(await auditor.list("person.read", "persons:search", async () => ["should not run"])).toEqual([]);
    expect((await entries()).at(-1)).toMatchObject({
      actor: "user:au1",
      decision: "deny",
      outcome: "failure",
    });
    // The officer without a stated purpose: refused as a single read is, not answered with no rows.
    const noPurpose = access.forRequest({ actor: officer, purpose: " ", requestId: "req-6" });
    let ran = false;
    await expect(
      noPurpose.list("record.read", "records:all", async () => {
        ran = true;
        return ["should not run"];
      }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED" });
    expect(ran).toBe(false);
    expect((await entries()).at(-1)).toMatchObject({
      actor: "user:ro1",
      action: "record.read",
      resourceId: "records:all",
      decision: "deny",
      reasons: ["purpose-of-use-required"],
      errorCode: "PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED",
      details: { list: true },
    });
    // The auditor could see none of it with any purpose: still no rows, no purpose error.
    const auditorNoPurpose = access.forRequest({
      actor: { ...officer, id: "au1", roles: ["auditor"] },
      purpose: "",
      requestId: "req-6b",
    });
    expect(await auditorNoPurpose.list("person.read", "persons:search", async () => ["x"])).toEqual([]);
  });

  it("adds what the result tells to a success's entry, and only the details given before to a failure's", async () => {
    const operator = access.forRequest({ actor: LOCAL_OPERATOR, purpose: "cli", requestId: "req-7" });
    const feed = { type: "Feed", id: "visa" } as const;
    const counted = (result: { read: number }) => ({ read: result.read });
    await operator.run("feed.ingest", feed, () => ({ read: 3 }), { file: "visa.csv" }, counted);
    await expect(
      operator.run(
        "feed.ingest",
        feed,
        (): { read: number } => {
          throw new PassageError("PASSAGE_ERR_TEST_BROKEN", "internal", "broken");
        },
        { file: "bad.csv" },
        counted,
      ),
    ).rejects.toThrow(/broken/);
    // A removal officer holds no feed.ingest.
    const removalOfficer = access.forRequest({ actor: officer, purpose: "cli", requestId: "req-8" });
    await expect(
      removalOfficer.run("feed.ingest", feed, () => ({ read: 1 }), { file: "denied.csv" }, counted),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_ACCESS_DENIED" });
    expect((await entries()).slice(-5).map((entry) => [entry.outcome, entry.details])).toEqual([
      ["success", { file: "visa.csv", phase: "started" }],
      ["success", { file: "visa.csv", read: 3, phase: "finished" }],
      ["success", { file: "bad.csv", phase: "started" }],
      ["failure", { file: "bad.csv", phase: "finished" }],
      ["failure", { file: "denied.csv" }],
    ]);
  });

  it("rethrows the work's error when its failure cannot be recorded either", async () => {
    // The log takes the write's started entry, then is lost with the database the work uses.
    let appended = 0;
    const lostAfterStart = {
      append: () =>
        appended++ === 0 ? Promise.resolve(0) : Promise.reject(new Error("connect ECONNREFUSED")),
    } as unknown as AuditLog;
    const scope = { actor: LOCAL_OPERATOR, purpose: "cli", requestId: "req-9" };
    await expect(
      new AuditedAccess(access.authorization, lostAfterStart, scope).run(
        "feed.ingest",
        { type: "Feed", id: "visa" },
        () => {
          throw new PassageError("PASSAGE_ERR_TEST_DATABASE_LOST", "unavailable", "the database went away");
        },
      ),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_TEST_DATABASE_LOST" });
    // A success is never returned unrecorded.
    const unwritable = {
      append: () => Promise.reject(new Error("connect ECONNREFUSED")),
    } as unknown as AuditLog;
    await expect(
      new AuditedAccess(access.authorization, unwritable, scope).run(
        "person.read",
        person("p1", "NYC"),
        () => "read",
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it("keeps the whole log verifiable", async () => {
    const operator = access.forRequest({ actor: LOCAL_OPERATOR, purpose: "cli", requestId: "req-6" });
    await operator.run("audit.checkpoint", { type: "AuditLog", id: "passage" }, () =>
      access.audit.checkpoint(),
    );
    const verification = await access.audit.verify();
    expect(verification.ok).toBe(true);
    expect(verification.entries).toBeGreaterThanOrEqual(8);
  });
});

/** The entries of one request as committed (read on another connection, without flushing the log). */
async function committedEntriesOf(requestId: string): Promise<AuditEntry[]> {
  const { rows } = await database.pool.query<{ content: string }>(
    "SELECT content FROM audit_entry WHERE content::jsonb->>'requestId' = $1 ORDER BY sequence",
    [requestId],
  );
  return rows.map((row) => decodeAuditEntryOrThrow(Buffer.from(row.content, "utf8")));
}

const phaseAndOutcome = (entry: AuditEntry) => [
  entry.action,
  entry.details.phase ?? null,
  entry.decision,
  entry.outcome,
  entry.errorCode,
];

describe("a write is on record before its work starts (issue 6)", () => {
  const operatorFor = (requestId: string) =>
    access.forRequest({ actor: LOCAL_OPERATOR, purpose: "cli", requestId });

  it("classifies every write the work of which it runs: its started entry is committed when the work is called", async () => {
    for (const action of WRITE_ACTIONS) {
      const requestId = `req-write-${action}`;
      const resource = { type: ACTIONS[action], id: "any", attributes: caseAttributes } as AccessResource;
      const seenByWork: unknown[][] = [];
      // The crash window: whatever the work commits from here on already has its entry.
      await operatorFor(requestId).run(action, resource, async () => {
        seenByWork.push(...(await committedEntriesOf(requestId)).map(phaseAndOutcome));
      });
      expect(seenByWork, action).toEqual([[action, "started", "allow", "success", null]]);
      expect((await committedEntriesOf(requestId)).map(phaseAndOutcome), action).toEqual([
        [action, "started", "allow", "success", null],
        [action, "finished", "allow", "success", null],
      ]);
    }
  });

  it("records a write whose work fails as started, then failed with the work's error code", async () => {
    const request = operatorFor("req-write-fails");
    await expect(
      request.run("record.write", { type: "Record", id: "visa:V1", attributes: caseAttributes }, () => {
        throw new PassageError("PASSAGE_ERR_TEST_BROKEN", "internal", "broken");
      }),
    ).rejects.toThrow(/broken/);
    expect((await committedEntriesOf("req-write-fails")).map(phaseAndOutcome)).toEqual([
      ["record.write", "started", "allow", "success", null],
      ["record.write", "finished", "allow", "failure", "PASSAGE_ERR_TEST_BROKEN"],
    ]);
  });

  it("never starts a write whose started entry cannot be written", async () => {
    const unwritable = {
      append: () => Promise.reject(new Error("connect ECONNREFUSED")),
    } as unknown as AuditLog;
    const request = new AuditedAccess(access.authorization, unwritable, {
      actor: LOCAL_OPERATOR,
      purpose: "cli",
      requestId: "req-write-unrecorded",
    });
    let ran = false;
    await expect(
      request.run("feed.ingest", { type: "Feed", id: "visa" }, () => {
        ran = true;
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(ran).toBe(false);
  });

  it("records a denied write once, with no started entry, and never runs its work", async () => {
    const request = access.forRequest({ actor: officer, purpose: "cli", requestId: "req-write-denied" });
    let ran = false;
    await expect(
      request.run("feed.ingest", { type: "Feed", id: "visa" }, () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_ACCESS_DENIED" });
    expect(ran).toBe(false);
    expect((await committedEntriesOf("req-write-denied")).map(phaseAndOutcome)).toEqual([
      ["feed.ingest", null, "deny", "failure", "PASSAGE_ERR_ACCESS_DENIED"],
    ]);
  });

  it("records a read once, with its outcome and no phase", async () => {
    const request = access.forRequest({ actor: officer, purpose: "case_review", requestId: "req-read-once" });
    const seenByWork: unknown[] = [];
    await request.run("person.read", person("p1", "NYC"), async () => {
      seenByWork.push(...(await committedEntriesOf("req-read-once")));
    });
    await request.readPerson(person("p1", "NYC"), () => ({ person_id: "p1" }));
    await request.list("record.read", "records:once", async () => ["r"]);
    expect(seenByWork).toEqual([]);
    await access.audit.flush();
    expect((await committedEntriesOf("req-read-once")).map(phaseAndOutcome)).toEqual([
      ["person.read", null, "allow", "success", null],
      ["person.read", null, "allow", "success", null],
      ["record.read", null, "allow", "success", null],
    ]);
  });
});
