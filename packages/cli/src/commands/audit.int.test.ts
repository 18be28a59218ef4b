import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AuditLog, hashFromHex, readPublicKeyOrThrow, verifyInclusion } from "@passage/access";
import { sampleAuditEvent } from "@passage/access/testing";
import { createAuditRepository } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-audit-cli-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("passage audit", () => {
  it("verifies a log with no checkpoint yet, says so and exits 0", async () => {
    const result = await cli("audit", "verify");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/verified 0 audit entries/);
    expect(result.stdout).toMatch(/no checkpoint yet/);
  });

  it("checkpoints, verifies and proves entries end to end", async () => {
    const log = new AuditLog({ repository: createAuditRepository(database), dataDir });
    for (let number = 0; number < 40; number++) {
      await log.append(sampleAuditEvent(number));
    }
    await log.close({ checkpoint: false });

    const checkpoint = await cli("audit", "checkpoint");
    expect(checkpoint.code).toBe(0);
    expect(checkpoint.stdout).toMatch(/checkpoint: \d+ entries, root [0-9a-f]{64}/);

    const verify = await cli("--json", "audit", "verify");
    expect(verify.code).toBe(0);
    const verification = JSON.parse(verify.stdout);
    expect(verification).toMatchObject({ ok: true, firstBadEntry: null });
    expect(verification.entries).toBeGreaterThanOrEqual(41);
    expect(verification.checkpointsVerified).toBeGreaterThanOrEqual(1);

    const prove = await cli("--json", "audit", "prove", "10");
    expect(prove.code).toBe(0);
    const proof = JSON.parse(prove.stdout);
    expect(proof.entry).toMatchObject({ index: 10, resourceId: "person-9" });
    // Anyone can check the proof with the public key alone.
    const publicKey = readPublicKeyOrThrow(path.join(dataDir, "audit", "public-key.pem"));
    expect(publicKey.asymmetricKeyType).toBe("ed25519");
    expect(
      verifyInclusion(
        hashFromHex(proof.leafHash)!,
        proof.index,
        proof.treeSize,
        proof.proof.map((hash: string) => hashFromHex(hash)!),
        hashFromHex(proof.checkpoint.rootHash)!,
      ),
    ).toBe(true);

    const human = await cli("audit", "prove", "3");
    expect(human.stdout).toMatch(/verified\s+yes/);
    expect((await cli("audit", "prove", "99999")).stderr).toMatch(
      /^error PASSAGE_ERR_AUDIT_ENTRY_NOT_FOUND: /,
    );
    expect((await cli("audit", "prove", "x")).stderr).toMatch(/^error PASSAGE_ERR_CLI_USAGE: /);
    // Checkpoints kept elsewhere, at a path that is not there: a failure, never a silent success.
    const mistyped = await cli(
      "audit",
      "verify",
      "--checkpoints",
      path.join(os.tmpdir(), "passage-no-such-dir"),
    );
    expect(mistyped.code).not.toBe(0);
    expect(mistyped.stderr).toMatch(
      /^error PASSAGE_ERR_AUDIT_CHECKPOINTS_NOT_FOUND: no checkpoint directory /m,
    );
  });

  it("fails naming the first bad entry when a row was altered, and a forged checkpoint file", async () => {
    const client = await database.pool.connect();
    try {
      await client.query("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only");
      await client.query(
        "UPDATE audit_entry SET content = replace(content, 'officer1', 'officer2') WHERE sequence = 20",
      );
      const result = await cli("audit", "verify");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/^error PASSAGE_ERR_AUDIT_TAMPERED: .*first bad entry 20/);
      await client.query(
        "UPDATE audit_entry SET content = replace(content, 'officer2', 'officer1') WHERE sequence = 20",
      );
    } finally {
      await client.query("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only");
      client.release();
    }
    expect((await cli("audit", "verify")).code).toBe(0);

    const directory = path.join(dataDir, "audit", "checkpoints");
    const file = path.join(directory, fs.readdirSync(directory).sort()[0]!);
    const document = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...document, rootHash: "0".repeat(64) }));
    const forged = await cli("--json", "audit", "verify");
    expect(forged.code).not.toBe(0);
    expect(JSON.parse(forged.stdout).problems[0]).toMatchObject({ kind: "checkpoint", source: file });
    expect(forged.stderr).toMatch(/PASSAGE_ERR_AUDIT_TAMPERED/);
  });

  it("acts as a user with --as, within that user's rights, and audits user administration", async () => {
    const demo = await cli("--json", "users", "demo");
    expect(demo.code).toBe(0);
    const users = JSON.parse(demo.stdout) as { username: string; password: string }[];
    expect(users.map((user) => user.username)).toContain("auditor");
    const denied = await cli("--as", "removal.officer", "audit", "checkpoint");
    expect(denied.code).toBe(5);
    expect(denied.stderr).toMatch(
      /^error PASSAGE_ERR_ACCESS_DENIED: user:removal.officer may not audit.checkpoint/,
    );
    const list = await cli("--json", "--as", "auditor", "--purpose", "oversight", "users", "list");
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((user: { username: string }) => user.username)).toContain(
      "legal.counsel",
    );
    const rows = await database.pool.query<{ content: string }>(
      "SELECT content FROM audit_entry WHERE resource_type = 'Account' ORDER BY sequence",
    );
    const actions = rows.rows
      .map((row) => JSON.parse(row.content))
      .map((entry) => [entry.actor, entry.action, entry.purpose]);
    expect(actions).toContainEqual(["system:local-operator", "user.write", "cli"]);
    expect(actions).toContainEqual(["user:auditor", "user.read", "oversight"]);
  });

  it("withholds from a prover without the need what tells that a record is a 1367 case", async () => {
    const log = new AuditLog({ repository: createAuditRepository(database), dataDir });
    const index = await log.append(
      sampleAuditEvent(1367, {
        action: "record.read",
        resourceType: "Record",
        resourceId: "benefit:EAC0000001367",
        decision: "deny",
        outcome: "failure",
        errorCode: "PASSAGE_ERR_ACCESS_DENIED",
        reasons: ["vawa-1367-need-to-know"],
      }),
    );
    await log.checkpoint();
    await log.close({ checkpoint: false });
    const asAuditor = await cli("--json", "--as", "auditor", "audit", "prove", String(index));
    expect(asAuditor.code, asAuditor.stderr).toBe(0);
    expect(JSON.parse(asAuditor.stdout)).toMatchObject({
      verified: true,
      entry: { decision: "withheld", reasons: ["withheld"], withheld: ["decision", "errorCode", "reasons"] },
    });
    const asOperator = await cli("--json", "audit", "prove", String(index));
    expect(JSON.parse(asOperator.stdout).entry).toMatchObject({ reasons: ["vawa-1367-need-to-know"] });
  });
});
