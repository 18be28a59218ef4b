import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AuditLog } from "@passage/access";
import { sampleAuditEvent } from "@passage/access/testing";
import { createAuditRepository } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// How `passage audit verify|prove` report tampering and setup problems (review findings).

const run = promisify(execFile);
const passage = path.resolve("node_modules/.bin/passage");
let database: TestDatabase;
let dataDir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(passage, ["--data-dir", dataDir, ...args], {
      env: { ...process.env, DATABASE_URL: database.url },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** Runs statements with the append-only triggers off, then undoes them. */
async function withTampering<T>(tamper: string[], undo: string[], check: () => Promise<T>): Promise<T> {
  const client = await database.pool.connect();
  try {
    await client.query("ALTER TABLE audit_entry DISABLE TRIGGER USER");
    for (const statement of tamper) await client.query(statement);
    const result = await check();
    for (const statement of undo) await client.query(statement);
    return result;
  } finally {
    await client.query("ALTER TABLE audit_entry ENABLE TRIGGER USER");
    client.release();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-report-"));
  const log = new AuditLog({ repository: createAuditRepository(database), dataDir });
  for (let number = 0; number < 40; number++) {
    await log.append(sampleAuditEvent(number));
  }
  await log.checkpoint();
  await log.close({ checkpoint: false });
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("passage audit reports", () => {
  it("warns when database checkpoints have no copy outside the database", async () => {
    const checkpoints = path.join(dataDir, "audit", "checkpoints");
    const saved = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-saved-"));
    fs.cpSync(checkpoints, saved, { recursive: true });
    fs.rmSync(checkpoints, { recursive: true });
    const text = await cli("audit", "verify");
    expect(text.code).toBe(0);
    expect(text.stderr).toMatch(/^warning: 1 of 1 database checkpoint\(s\) have no copy in /m);
    const json = await cli("--json", "audit", "verify");
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, checkpointsWithoutCopy: 1 });
    fs.cpSync(saved, checkpoints, { recursive: true });
    fs.rmSync(saved, { recursive: true });
  });

  it("gives the range of the first bad entry in --json when an entry was rewritten with its hash", async () => {
    const rewrite = (from: string, to: string) =>
      `UPDATE audit_entry SET content = replace(content, '${from}', '${to}'),
         leaf_hash = sha256('\\x00'::bytea || convert_to(replace(content, '${from}', '${to}'), 'UTF8'))
       WHERE sequence = 6`;
    // The request id: not a column search filters on (a rewritten one of those is named exactly,
    // by the column check), so only the signed root tells this rewrite, somewhere in 0..39.
    const json = await withTampering(
      [rewrite('"request-6"', '"request-X"')],
      [rewrite('"request-X"', '"request-6"')],
      () => cli("--json", "audit", "verify"),
    );
    expect(json.code).toBe(6);
    expect(JSON.parse(json.stdout)).toMatchObject({
      firstBadEntry: 0,
      firstBadEntryRange: { first: 0, last: 39 },
    });
  });

  it("names the first bad entry, not a bad checkpoint file listed before it", async () => {
    const directory = path.join(dataDir, "audit", "checkpoints");
    const file = path.join(directory, fs.readdirSync(directory).sort()[0]!);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(original), rootHash: "0".repeat(64) }));
    const row = await database.pool.query("SELECT * FROM audit_entry WHERE sequence = 10");
    const { content, leaf_hash } = row.rows[0];
    const result = await withTampering(["DELETE FROM audit_entry WHERE sequence = 10"], [], () =>
      cli("audit", "verify"),
    );
    await withTampering([], [], () =>
      database.pool.query(
        `INSERT INTO audit_entry (sequence, content, leaf_hash, actor, resource_type, resource_id)
         VALUES (10, $1, $2, 'user:officer1', 'Person', 'person-10')`,
        [content, leaf_hash],
      ),
    );
    fs.writeFileSync(file, original);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(
      /^error PASSAGE_ERR_AUDIT_TAMPERED: .*first bad entry 10: .*other problem/m,
    );
  });

  it("proving a non-canonical entry is tampering (exit 6), a missing public key a setup problem", async () => {
    const prove = await withTampering(
      [`UPDATE audit_entry SET content = replace(content, '"v":1', '"v": 1') WHERE sequence = 33`],
      [`UPDATE audit_entry SET content = replace(content, '"v": 1', '"v":1') WHERE sequence = 33`],
      () => cli("audit", "prove", "33"),
    );
    expect(prove.code).toBe(6);
    expect(prove.stderr).toMatch(/^error PASSAGE_ERR_AUDIT_TAMPERED: .*entry 33 is not the canonical/m);

    const publicKey = path.join(dataDir, "audit", "public-key.pem");
    const saved = fs.readFileSync(publicKey);
    fs.rmSync(publicKey);
    const verify = await cli("audit", "verify");
    fs.writeFileSync(publicKey, saved);
    expect(verify.code).toBe(3);
    expect(verify.stderr).toMatch(
      /^error PASSAGE_ERR_AUDIT_KEY_MISSING: the audit key .*public-key.pem is missing/m,
    );
    expect((await cli("audit", "verify")).code).toBe(0);
  });
});
