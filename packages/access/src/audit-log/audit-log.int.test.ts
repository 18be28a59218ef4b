import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAuditRepository } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleAuditEvent as event } from "../testing/audit-events.ts";
import { AuditLog } from "./audit-log.ts";

let database: TestDatabase;
let dataDir: string;
let log: AuditLog;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-"));
  log = new AuditLog({
    repository: createAuditRepository(database),
    dataDir,
    checkpointEveryEntries: 1_000_000,
  });
});
afterAll(async () => {
  await log.close({ checkpoint: false });
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the audit log in PostgreSQL", () => {
  it("numbers concurrent appends without gaps or duplicates", async () => {
    const indexes = await Promise.all(Array.from({ length: 300 }, (_, number) => log.append(event(number))));
    expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, index) => index));
    // A second log on the same database (another process) appends concurrently with the first.
    const other = new AuditLog({ repository: createAuditRepository(database), dataDir });
    const more = await Promise.all(
      Array.from({ length: 96 }, (_, number) => (number % 2 ? log : other).append(event(300 + number))),
    );
    // Taking turns: each log's remembered head is stale after the other's append, which then
    // writes nothing and the entry is appended under the head's lock at the true end.
    for (let turn = 0; turn < 4; turn++) {
      expect(await (turn % 2 ? log : other).append(event(396 + turn))).toBe(396 + turn);
    }
    await other.close({ checkpoint: false });
    expect(new Set(more).size).toBe(96);
    expect(Math.min(...more)).toBe(300);
    expect(Math.max(...more)).toBe(395);
    const verification = await log.verify();
    expect(verification.ok).toBe(true);
    expect(verification.entries).toBe(400);
    expect(verification.checkpointsVerified).toBe(0);
    // The tree built on a worker thread is the same tree.
    const parallel = await log.verify({ parallel: true });
    expect(parallel.rootHash).toBe(verification.rootHash);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of entries and checkpoints, and a head that moves back", async () => {
    await expect(
      database.pool.query("UPDATE audit_entry SET actor = 'user:nobody' WHERE sequence = 1"),
    ).rejects.toThrow(/append-only/);
    await expect(database.pool.query("DELETE FROM audit_entry WHERE sequence = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(database.pool.query("TRUNCATE audit_entry")).rejects.toThrow(/append-only/);
    await expect(database.pool.query("UPDATE audit_log_head SET size = 3")).rejects.toThrow(
      /only moves forward/,
    );
    await expect(database.pool.query("DELETE FROM audit_log_head")).rejects.toThrow(/only moves forward/);
    await log.checkpoint();
    await expect(database.pool.query("DELETE FROM audit_checkpoint")).rejects.toThrow(/append-only/);
  });

  it("signs checkpoints into the database and into files, with a 0600 signing key", async () => {
    const checkpoint = await log.checkpoint();
    expect(checkpoint?.treeSize).toBe(400);
    const files = fs.readdirSync(log.paths.checkpoints);
    expect(files).toContain("000000000400.json");
    expect(fs.statSync(log.paths.signingKey).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(log.paths.publicKey, "utf8")).toMatch(/BEGIN PUBLIC KEY/);
    // Nothing new: the same checkpoint again, no second file.
    expect((await log.checkpoint())?.rootHash).toBe(checkpoint?.rootHash);
    await log.append(event(400));
    const next = await log.checkpoint();
    expect(next?.treeSize).toBe(401);
    const verification = await log.verify();
    expect(verification.ok).toBe(true);
    expect(verification.checkpointsVerified).toBe(2);
    expect(await log.verify({ parallel: true })).toEqual(verification);
  });

  it("proves an entry's inclusion against the latest checkpoint", async () => {
    const proof = await log.prove(123);
    expect(proof.verified).toBe(true);
    expect(proof.treeSize).toBe(401);
    expect(proof.entry.index).toBe(123);
    expect(proof.proof.length).toBeGreaterThan(5);
    await expect(log.prove(10_000)).rejects.toThrow(/no entry 10000/);
  });

  it("detects a row altered behind the triggers' back, and a truncated tail the checkpoint file outlives", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
      await client.query(
        "UPDATE audit_entry SET content = replace(content, 'person-77', 'person-78') WHERE sequence = 77",
      );
      let verification = await log.verify();
      expect(verification.ok).toBe(false);
      expect(verification.problems[0]).toMatchObject({ kind: "entry", index: 77 });
      expect((await log.verify({ parallel: true })).problems).toEqual(verification.problems);
      // Restore it, then delete the tail and move the head back as an attacker with full access would.
      await client.query(
        "UPDATE audit_entry SET content = replace(content, 'person-78', 'person-77') WHERE sequence = 77",
      );
      expect((await log.verify()).ok).toBe(true);
      await client.query("ALTER TABLE audit_log_head DISABLE TRIGGER audit_log_head_forward");
      await client.query("DELETE FROM audit_entry WHERE sequence >= 390");
      await client.query("UPDATE audit_log_head SET size = 390");
      verification = await log.verify();
      expect(verification.ok).toBe(false);
      expect(verification.problems[0]).toMatchObject({ kind: "entry", index: 390 });
      expect(verification.problems[0]!.reason).toMatch(/truncated tail/);
    } finally {
      await client.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
      await client.query("ALTER TABLE audit_log_head ENABLE TRIGGER audit_log_head_forward");
      client.release();
    }
  });
});

describe("end-to-end tamper trials against the database and the checkpoint files", () => {
  let trialDatabase: TestDatabase;
  let trialDir: string;
  let trialLog: AuditLog;
  type Statement = string | { text: string; values: unknown[] };

  beforeAll(async () => {
    trialDatabase = await createTestDatabase();
    trialDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-trials-"));
    trialLog = new AuditLog({ repository: createAuditRepository(trialDatabase), dataDir: trialDir });
    await Promise.all(Array.from({ length: 120 }, (_, number) => trialLog.append(event(number))));
    await trialLog.checkpoint();
    await Promise.all(Array.from({ length: 30 }, (_, number) => trialLog.append(event(120 + number))));
    expect((await trialLog.verify()).ok).toBe(true);
  });
  afterAll(async () => {
    await trialLog.close({ checkpoint: false });
    await trialDatabase.drop();
    fs.rmSync(trialDir, { recursive: true, force: true });
  });

  /** Tampers with the append-only triggers off, verifies with a fresh log object, then undoes it. */
  async function trial(tamper: Statement[], undo: Statement[]) {
    const client = await trialDatabase.pool.connect();
    const run = (statement: Statement) =>
      typeof statement === "string"
        ? client.query(statement)
        : client.query(statement.text, statement.values);
    try {
      await client.query("ALTER TABLE audit_entry DISABLE TRIGGER USER");
      await client.query("ALTER TABLE audit_log_head DISABLE TRIGGER USER");
      for (const statement of tamper) await run(statement);
      const verifier = new AuditLog({ repository: createAuditRepository(trialDatabase), dataDir: trialDir });
      const verification = await verifier.verify();
      for (const statement of undo) await run(statement);
      return verification;
    } finally {
      await client.query("ALTER TABLE audit_entry ENABLE TRIGGER USER");
      await client.query("ALTER TABLE audit_log_head ENABLE TRIGGER USER");
      client.release();
    }
  }

  async function savedRow(sequence: number) {
    const result = await trialDatabase.pool.query("SELECT * FROM audit_entry WHERE sequence = $1", [
      sequence,
    ]);
    const row = result.rows[0];
    return {
      restoreContent: {
        text: "UPDATE audit_entry SET content = $1 WHERE sequence = $2",
        values: [row.content, sequence],
      },
      reinsert: {
        text: `INSERT INTO audit_entry (sequence, content, leaf_hash, actor, resource_type, resource_id, recorded_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        values: [
          sequence,
          row.content,
          row.leaf_hash,
          row.actor,
          row.resource_type,
          row.resource_id,
          row.recorded_at,
        ],
      },
    };
  }

  it("detects a flipped byte in entries inside and after the checkpoint, naming each", async () => {
    for (const index of [0, 57, 119, 135]) {
      const { restoreContent } = await savedRow(index);
      const result = await trial(
        [
          `UPDATE audit_entry SET content = overlay(content placing '#' from 60 for 1) WHERE sequence = ${index}`,
        ],
        [restoreContent],
      );
      expect(result.problems[0], `entry ${index}`).toMatchObject({ kind: "entry", index });
    }
    expect((await trialLog.verify()).ok).toBe(true);
  });

  it("detects a deleted entry, two swapped entries, and a tail truncated with its head", async () => {
    const swap = [
      "UPDATE audit_entry SET sequence = 1000000 WHERE sequence = 40",
      "UPDATE audit_entry SET sequence = 40 WHERE sequence = 41",
      "UPDATE audit_entry SET sequence = 41 WHERE sequence = 1000000",
    ];
    const deleted = await trial(
      ["DELETE FROM audit_entry WHERE sequence = 40"],
      [(await savedRow(40)).reinsert],
    );
    expect(deleted.problems[0]).toMatchObject({ kind: "entry", index: 40 });
    const swapped = await trial(swap, swap);
    expect(swapped.problems[0]).toMatchObject({ kind: "entry", index: 40 });
    const lastDeleted = await trial(
      ["DELETE FROM audit_entry WHERE sequence = 149"],
      [(await savedRow(149)).reinsert],
    );
    expect(lastDeleted.problems[0]).toMatchObject({ kind: "entry", index: 149 });
    expect((await trialLog.verify()).ok).toBe(true);
    const truncated = await trial(
      ["DELETE FROM audit_entry WHERE sequence >= 100", "UPDATE audit_log_head SET size = 100"],
      [],
    );
    expect(truncated.problems[0]).toMatchObject({ kind: "entry", index: 100 });
    expect(truncated.problems[0]!.reason).toMatch(/truncated tail/);
  });

  it("detects a forged checkpoint file", async () => {
    const file = path.join(trialLog.paths.checkpoints, "000000000120.json");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), treeSize: 119 }));
    const result = await new AuditLog({
      repository: createAuditRepository(trialDatabase),
      dataDir: trialDir,
    }).verify();
    fs.writeFileSync(file, original);
    expect(result.problems[0]).toMatchObject({ kind: "checkpoint", source: file });
  });
});

describe("a checkpoint over more entries than it reads at once", () => {
  it("hashes every entry once, in order: its root is the one verification recomputes", async () => {
    const busy = await createTestDatabase();
    const busyDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-"));
    const busyLog = new AuditLog({
      repository: createAuditRepository(busy),
      dataDir: busyDir,
      checkpointEveryEntries: 1_000_000,
    });
    try {
      await Promise.all(Array.from({ length: 3 }, (_, number) => busyLog.append(event(number))));
      expect((await busyLog.checkpoint())?.treeSize).toBe(3);
      // 5,600 more: two chunks read, a dozen slices hashed, resumed from the first checkpoint's frontier.
      await Promise.all(Array.from({ length: 5_600 }, (_, number) => busyLog.append(event(3 + number))));
      const checkpoint = await busyLog.checkpoint();
      expect(checkpoint?.treeSize).toBe(5_603);
      const verification = await busyLog.verify();
      expect(verification.ok).toBe(true);
      expect(verification.checkpointsVerified).toBe(2);
      expect(verification.rootHash).toBe(checkpoint?.rootHash);
    } finally {
      await busyLog.close({ checkpoint: false });
      await busy.drop();
      fs.rmSync(busyDir, { recursive: true, force: true });
    }
  });
});
