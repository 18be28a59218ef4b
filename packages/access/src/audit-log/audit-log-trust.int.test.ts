import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAuditRepository } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEvent } from "../audit/audit-entry.ts";
import { sampleAuditEvent as event } from "../testing/audit-events.ts";
import { AuditLog } from "./audit-log.ts";

// What the audit log does with checkpoint rows, keys and entries it cannot trust (review findings).

let database: TestDatabase;
let dataDir: string;
let log: AuditLog;
const logs: AuditLog[] = [];

const newLog = () => {
  const created = new AuditLog({
    repository: createAuditRepository(database),
    dataDir,
    checkpointEveryEntries: 1_000_000,
  });
  logs.push(created);
  return created;
};

async function appendEntries(from: number, count: number, overrides: Partial<AuditEvent> = {}) {
  await Promise.all(
    Array.from({ length: count }, (_, number) => log.append(event(from + number, overrides))),
  );
}

/** Runs statements with the append-only triggers off, as someone with full database access could. */
async function tamper(...statements: (string | { text: string; values: unknown[] })[]) {
  const client = await database.pool.connect();
  try {
    await client.query("ALTER TABLE audit_entry DISABLE TRIGGER USER");
    await client.query("ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
    await client.query("ALTER TABLE audit_log_head DISABLE TRIGGER USER");
    for (const statement of statements)
      await (typeof statement === "string"
        ? client.query(statement)
        : client.query(statement.text, statement.values));
  } finally {
    await client.query("ALTER TABLE audit_entry ENABLE TRIGGER USER");
    await client.query("ALTER TABLE audit_checkpoint ENABLE TRIGGER USER");
    await client.query("ALTER TABLE audit_log_head ENABLE TRIGGER USER");
    client.release();
  }
}

beforeEach(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-trust-"));
  log = newLog();
  await appendEntries(0, 64);
  expect((await log.checkpoint())?.treeSize).toBe(64);
});
afterEach(async () => {
  for (const each of logs.splice(0)) await each.close({ checkpoint: false });
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("checkpoint rows the log cannot trust", () => {
  it("passes over a forged row beyond the head: it is neither signed, copied out nor proven against", async () => {
    // A plain INSERT (the triggers allow inserts): the 64-entry row, claiming a million entries.
    await database.pool.query(
      `INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, key_id, signature, document, frontier)
       SELECT 1000000, root_hash, signed_at, key_id, signature,
              jsonb_set(document, '{treeSize}', '1000000'), frontier
       FROM audit_checkpoint WHERE tree_size = 64`,
    );
    await appendEntries(64, 6);
    const fresh = newLog();
    const checkpoint = await fresh.checkpoint();
    expect(checkpoint?.treeSize).toBe(70);
    expect(fs.readdirSync(fresh.paths.checkpoints)).not.toContain("000001000000.json");
    expect((await fresh.prove(40)).treeSize).toBe(70);
    const verification = await fresh.verify();
    expect(verification.ok).toBe(false);
    expect(verification.problems).toHaveLength(1);
    expect(verification.problems[0]).toMatchObject({ kind: "checkpoint", source: "database" });
    expect(verification.problems[0]!.reason).toMatch(/for 1000000 entries .*does not verify/);
    // The forgery is a problem, not a genuine checkpoint missing its outside copy.
    expect(verification.warnings).toEqual([]);
  });

  it("never resumes from a frontier that does not reproduce the signed root (inserted or altered row)", async () => {
    await appendEntries(64, 2);
    // A row for 66 entries holding the 64-entry document and two arbitrary frontier hashes.
    await database.pool.query(
      `INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, key_id, signature, document, frontier)
       SELECT 66, root_hash, signed_at, key_id, signature, document, $1 FROM audit_checkpoint WHERE tree_size = 64`,
      [Buffer.concat([crypto.randomBytes(32), crypto.randomBytes(32)])],
    );
    await appendEntries(66, 2);
    let fresh = newLog();
    expect((await fresh.checkpoint())?.treeSize).toBe(68);
    let verification = await fresh.verify();
    expect(verification.problems.filter((problem) => problem.kind === "entry")).toEqual([]);
    expect(verification.problems[0]!.reason).toMatch(
      /checkpoint for 66 entries: its row .*not the signed head/,
    );

    // The real 64-entry row with its frontier altered in place.
    await tamper(
      "UPDATE audit_checkpoint SET frontier = overlay(frontier placing '\\xff'::bytea from 1 for 1) WHERE tree_size = 64",
    );
    await tamper("DELETE FROM audit_checkpoint WHERE tree_size IN (66, 68)");
    fs.rmSync(path.join(fresh.paths.checkpoints, "000000000068.json"));
    await appendEntries(68, 1);
    fresh = newLog();
    expect((await fresh.checkpoint())?.treeSize).toBe(69);
    verification = await fresh.verify();
    expect(verification.problems.filter((problem) => problem.kind === "entry")).toEqual([]);
    expect(verification.problems.map((problem) => problem.reason)).toEqual([
      "database checkpoint for 64 entries: its stored frontier does not reproduce its signed root (altered)",
    ]);
    expect(verification.checkpointsVerified).toBe(2);
  });
});

describe("the signing key", () => {
  it("is never replaced once checkpoints exist: a missing or other key is an error naming the file", async () => {
    const publicPem = fs.readFileSync(log.paths.publicKey, "utf8");
    const signingPem = fs.readFileSync(log.paths.signingKey);
    await appendEntries(64, 1);
    fs.rmSync(log.paths.signingKey);
    await expect(newLog().checkpoint()).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_KEY_MISSING",
      message: expect.stringContaining(`${log.paths.signingKey} is missing`),
    });
    expect(fs.existsSync(log.paths.signingKey)).toBe(false);
    // A process that appended (a verification, a read) still closes: its last checkpoint's failure is reported.
    const failures: unknown[] = [];
    const reading = new AuditLog({
      repository: createAuditRepository(database),
      dataDir,
      onError: (error) => failures.push(error),
    });
    await reading.append(event(65));
    await reading.close();
    expect(failures).toEqual([expect.objectContaining({ code: "PASSAGE_ERR_AUDIT_KEY_MISSING" })]);
    // Another key in its place.
    const other = crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" });
    fs.writeFileSync(log.paths.signingKey, other, { mode: 0o600 });
    await expect(newLog().checkpoint()).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_KEY_INVALID",
      message: expect.stringContaining("does not match the log's public key"),
    });
    expect(fs.readFileSync(log.paths.publicKey, "utf8")).toBe(publicPem);
    // Restored, signing goes on and everything verifies.
    fs.writeFileSync(log.paths.signingKey, signingPem, { mode: 0o600 });
    expect((await newLog().checkpoint())?.treeSize).toBe(66);
    expect((await newLog().verify()).ok).toBe(true);
  });

  it("a missing public key is a setup problem for verify and prove, not tampering", async () => {
    fs.rmSync(log.paths.publicKey);
    await expect(newLog().verify()).rejects.toMatchObject({ code: "PASSAGE_ERR_AUDIT_KEY_MISSING" });
    await expect(newLog().prove(3)).rejects.toMatchObject({ code: "PASSAGE_ERR_AUDIT_KEY_MISSING" });
  });

  it("a --public-key file that is not there is missing (not found), not a key that cannot be read", async () => {
    const nowhere = path.join(dataDir, "nowhere.pem");
    await expect(newLog().verify({ publicKeyFile: nowhere })).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_KEY_MISSING",
      kind: "not_found",
      message: expect.stringContaining(`the audit key ${nowhere} is missing`),
    });
    // One that is there but is no key still cannot be read.
    fs.writeFileSync(nowhere, "not a key\n");
    await expect(newLog().verify({ publicKeyFile: nowhere })).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_KEY_INVALID",
    });
  });
});

describe("prove on a tampered log names the bad entry", () => {
  it("a deleted entry", async () => {
    await tamper("DELETE FROM audit_entry WHERE sequence = 10");
    await expect(newLog().prove(11)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringContaining("entry 10 is missing"),
    });
  });

  it("an entry whose content is no longer canonical", async () => {
    await tamper(`UPDATE audit_entry SET content = replace(content, '"v":1', '"v": 1') WHERE sequence = 43`);
    await expect(newLog().prove(43)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringContaining("entry 43 is not the canonical audit entry"),
    });
  });

  it("a replaced recorded leaf hash is blamed on its entry, not on the entry proven", async () => {
    await tamper("UPDATE audit_entry SET leaf_hash = sha256('x') WHERE sequence = 36");
    await expect(newLog().prove(37)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringContaining("entry 36's content does not match"),
    });
  });
});

describe("checkpoints kept outside the database", () => {
  it("a log truncated under a checkpoint file is not signed again, before or after it grows past it", async () => {
    await appendEntries(64, 36);
    const signed = await log.checkpoint();
    expect(signed?.treeSize).toBe(100);
    // Entries 80..99 deleted with their database checkpoint and the head; the file for 100 stays.
    await tamper(
      "DELETE FROM audit_entry WHERE sequence >= 80",
      "DELETE FROM audit_checkpoint WHERE tree_size > 80",
      "UPDATE audit_log_head SET size = 80",
    );
    const fresh = newLog();
    log = fresh;
    // Replacements: what the server goes on recording after the deletion.
    const time = new Date(Date.parse(signed!.timestamp) + 2_000).toISOString();
    const later = { time, actor: "user:admin" };
    await appendEntries(80, 3, later);
    await expect(fresh.checkpoint()).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(
        /log holds 83 entries but .*000000000100\.json is a checkpoint signed .* for 100/,
      ),
    });
    expect(fs.readdirSync(fresh.paths.checkpoints)).not.toContain("000000000083.json");
    // The replacements are dated after the file was signed: the deleted range is still 80..99.
    let verification = await fresh.verify();
    expect(verification.problems[0]).toMatchObject({ kind: "entry", index: 80 });
    expect(verification.problems[0]!.reason).toMatch(/entries 80\.\.99 were deleted/);
    // Grown past the file's size, the log no longer reproduces its root at 100.
    await appendEntries(83, 27, later);
    // A log that did not verify first (which refuses on its own) is refused by the file.
    await expect(newLog().checkpoint()).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(
        /do not reproduce the root signed for 100 entries in .*000000000100\.json/,
      ),
    });
    expect(fs.readdirSync(fresh.paths.checkpoints).sort()).toEqual([
      "000000000064.json",
      "000000000100.json",
    ]);
    verification = await fresh.verify();
    expect(verification.problems[0]).toMatchObject({ kind: "entry", index: 64, lastIndex: 99 });
    expect(verification.problems[0]!.reason).toMatch(/entries 80\.\.99 were deleted and others appended/);
  });

  it("a background checkpoint refused as tampering is reported again when the log closes", async () => {
    await appendEntries(64, 36);
    await log.checkpoint();
    await tamper(
      "DELETE FROM audit_entry WHERE sequence >= 80",
      "DELETE FROM audit_checkpoint WHERE tree_size > 80",
      "UPDATE audit_log_head SET size = 80",
    );
    const failures: unknown[] = [];
    const background = new AuditLog({
      repository: createAuditRepository(database),
      dataDir,
      checkpointEveryEntries: 1,
      onError: (error) => failures.push(error),
    });
    logs.push(background);
    log = background;
    await appendEntries(80, 1);
    while (failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(failures[0]).toMatchObject({ code: "PASSAGE_ERR_AUDIT_TAMPERED" });
    // Nothing appended since the refused checkpoint: close signs nothing, and still says so.
    await expect(background.close()).rejects.toMatchObject({ code: "PASSAGE_ERR_AUDIT_TAMPERED" });
    logs.splice(logs.indexOf(background), 1);
  });

  it("prove uses the files where the database has no checkpoint covering an entry", async () => {
    await appendEntries(64, 36);
    const signed = await log.checkpoint();
    expect(signed?.treeSize).toBe(100);
    // Only the database checkpoint for 100 deleted: the file for 100 still covers entries 64..99.
    await tamper("DELETE FROM audit_checkpoint WHERE tree_size > 64");
    const proof = await newLog().prove(70);
    expect(proof).toMatchObject({ index: 70, treeSize: 100, rootHash: signed!.rootHash, verified: true });
    // And with the entries 80..99 deleted too, the file shows the log was truncated under it.
    await tamper("DELETE FROM audit_entry WHERE sequence >= 80", "UPDATE audit_log_head SET size = 80");
    log = newLog();
    const later = { time: new Date(Date.parse(signed!.timestamp) + 2_000).toISOString() };
    await appendEntries(80, 3, later);
    await expect(newLog().prove(70)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(
        /entry 70 is covered by .*000000000100\.json, a checkpoint signed .* for 100 entries, but the log holds 83/,
      ),
    });
    // An intact entry a trusted database checkpoint covers still gets its proof.
    expect(await newLog().prove(10)).toMatchObject({ index: 10, treeSize: 64, verified: true });
    // Grown past the file, the log no longer reproduces its root: tampering, naming the file.
    await appendEntries(83, 27, later);
    await expect(newLog().prove(70)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(
        /not included in the checkpoint signed .* for 100 entries \(.*000000000100\.json\)/,
      ),
    });
    await expect(newLog().prove(105)).rejects.toMatchObject({ code: "PASSAGE_ERR_AUDIT_NO_CHECKPOINT" });
  });

  it("database checkpoints with no copy among the files are a warning", async () => {
    expect((await newLog().verify()).warnings).toEqual([]);
    fs.rmSync(log.paths.checkpoints, { recursive: true });
    const verification = await newLog().verify();
    expect(verification.ok).toBe(true);
    expect(verification.checkpointsWithoutCopy).toBe(1);
    expect(verification.warnings[0]).toMatch(
      /1 of 1 database checkpoint\(s\) have no copy in .*\(tree sizes 64\)/,
    );
  });

  it("a copy that exists but was forged is named as a mismatching copy, not as missing", async () => {
    const file = path.join(log.paths.checkpoints, "000000000064.json");
    const copy = JSON.parse(fs.readFileSync(file, "utf8")) as { rootHash: string };
    fs.writeFileSync(file, JSON.stringify({ ...copy, rootHash: "ab".repeat(32) }));
    const verification = await newLog().verify();
    expect(verification.checkpointsWithoutCopy).toBe(0);
    expect(verification.checkpointsWithMismatchingCopy).toBe(1);
    expect(verification.warnings).toEqual([
      expect.stringMatching(/1 of 1 database checkpoint\(s\) have a mismatching copy in .*\(tree sizes 64\)/),
    ]);
    // The forged file itself is a problem, as before.
    expect(verification.problems.map((problem) => problem.source)).toContain(file);
  });
});

describe("a checkpoint file another process signs meanwhile", () => {
  /**
   * A log whose first read of the head returns only after `meanwhile` ran: another process's work
   * done between this log reading the head and reading the checkpoint files (as `passage` commands
   * run side by side do, each signing a checkpoint as it closes).
   */
  function logInterleaving(meanwhile: () => Promise<void>): AuditLog {
    const repository = createAuditRepository(database);
    let pending: (() => Promise<void>) | undefined = meanwhile;
    const created = new AuditLog({
      repository: {
        ...repository,
        async recordedSize() {
          const size = await repository.recordedSize();
          const run = pending;
          pending = undefined;
          await run?.();
          return size;
        },
      },
      dataDir,
      checkpointEveryEntries: 1_000_000,
    });
    logs.push(created);
    return created;
  }

  it("is not a log truncated under it: the checkpoint is taken at the size that covers it", async () => {
    const other = newLog();
    const racing = logInterleaving(async () => {
      await other.append(event(66));
      await other.append(event(67));
      expect((await other.checkpoint())?.treeSize).toBe(68);
    });
    await racing.append(event(64));
    await racing.append(event(65));
    // The head read holds 66 entries; the file for 68 was signed before the files were read.
    const signed = await racing.checkpoint();
    expect(signed).toMatchObject({ treeSize: 68 });
    expect(fs.readdirSync(log.paths.checkpoints).sort()).toEqual(["000000000064.json", "000000000068.json"]);
    expect((await newLog().verify()).ok).toBe(true);
  });

  it("prove proves against it", async () => {
    await appendEntries(64, 2);
    const other = newLog();
    const racing = logInterleaving(async () => {
      await other.append(event(66));
      expect((await other.checkpoint())?.treeSize).toBe(67);
    });
    // No database checkpoint within the 66 entries read covers entry 65; the file for 67 does.
    expect(await racing.prove(65)).toMatchObject({ index: 65, treeSize: 67, verified: true });
  });

  it("a log truncated under a file is still refused when another process appends meanwhile", async () => {
    await appendEntries(64, 36);
    expect((await log.checkpoint())?.treeSize).toBe(100);
    await tamper(
      "DELETE FROM audit_entry WHERE sequence >= 80",
      "DELETE FROM audit_checkpoint WHERE tree_size > 80",
      "UPDATE audit_log_head SET size = 80",
    );
    const other = newLog();
    const racing = logInterleaving(async () => {
      await other.append(event(80));
    });
    await expect(racing.checkpoint()).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(
        /log holds 81 entries but .*000000000100\.json is a checkpoint signed .* for 100/,
      ),
    });
    const proving = logInterleaving(async () => {
      await other.append(event(81));
    });
    await expect(proving.prove(70)).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUDIT_TAMPERED",
      message: expect.stringMatching(/entry 70 is covered by .*000000000100\.json.* but the log holds 82/),
    });
  });
});

describe("the columns search filters on", () => {
  /** Rewrites a column with the triggers skipped, as a superuser can (the ops review's attack). */
  async function rewriteColumn(sql: string) {
    const client = await database.pool.connect();
    try {
      await client.query("SET session_replication_role = replica");
      await client.query(sql);
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
  }

  it("verify names the first entry whose actor or resource columns disagree with its content", async () => {
    // Entries after the checkpoint too, one with a quote and a backslash in its resource id.
    await log.append({ ...event(64), resourceId: 'person-"64"\\b', actor: "user:supervisor" });
    await appendEntries(65, 10);
    expect((await newLog().verify()).ok).toBe(true);

    await rewriteColumn("UPDATE audit_entry SET actor = 'user:nobody' WHERE sequence = 64");
    await rewriteColumn("UPDATE audit_entry SET resource_id = 'person-0' WHERE sequence = 70");
    let verification = await newLog().verify();
    expect(verification.ok).toBe(false);
    expect(verification.problems).toEqual([
      {
        kind: "entry",
        index: 64,
        reason: expect.stringContaining(
          `entry 64's actor column says "user:nobody" but its content says "user:supervisor"`,
        ),
      },
    ]);

    // Inside the checkpointed range, and in the resource type: the first bad entry is named.
    await rewriteColumn("UPDATE audit_entry SET resource_type = 'Case' WHERE sequence = 12");
    verification = await newLog().verify();
    expect(verification.problems).toEqual([
      {
        kind: "entry",
        index: 12,
        reason: expect.stringContaining(
          `entry 12's resourceType column says "Case" but its content says "Person"`,
        ),
      },
    ]);
    // A log known to be tampered with is not signed.
    const tampered = newLog();
    await tampered.verify();
    await expect(tampered.checkpoint()).rejects.toMatchObject({ code: "PASSAGE_ERR_AUDIT_TAMPERED" });
  });
});
