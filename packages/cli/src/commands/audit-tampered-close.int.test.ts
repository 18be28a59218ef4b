import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AuditLog } from "@passage/access";
import { sampleAuditEvent } from "@passage/access/testing";
import { createAuditRepository } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

// Commands on a log truncated under its checkpoint files (review finding): the closing checkpoint
// is refused, and the command's own output must still be printed, the tampering reported after it.

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, "../../../engine/src/ingest/fixtures");

/** Runs statements as a superuser could, with the append-only triggers off. */
async function tamper(database: TestDatabase, statements: readonly string[]): Promise<void> {
  const client = await database.pool.connect();
  const tables = ["audit_entry", "audit_checkpoint", "audit_log_head"];
  try {
    for (const table of tables) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    for (const statement of statements) await client.query(statement);
  } finally {
    for (const table of tables) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    client.release();
  }
}

const bed = useCliTestBed("audit-tampered-close");

beforeAll(async () => {
  const dataDir = path.join(bed.directory, ".passage");
  const open = () => new AuditLog({ repository: createAuditRepository(bed.database), dataDir });
  const log = open();
  for (let number = 0; number < 40; number++) await log.append(sampleAuditEvent(number));
  await log.checkpoint();
  for (let number = 40; number < 80; number++) await log.append(sampleAuditEvent(number));
  await log.checkpoint();
  await log.close({ checkpoint: false });
  // Entries 50..79 deleted with their database checkpoint and the head; the file for 80 stays.
  await tamper(bed.database, [
    "DELETE FROM audit_entry WHERE sequence >= 50",
    "DELETE FROM audit_checkpoint WHERE tree_size > 50",
    "UPDATE audit_log_head SET size = 50",
  ]);
  const after = open();
  for (let number = 50; number < 70; number++) await after.append(sampleAuditEvent(number));
  await after.close({ checkpoint: false });
});

const TAMPERED_AFTER_OUTPUT =
  /^error PASSAGE_ERR_AUDIT_TAMPERED: .*checkpoint signed .* for 80: entries were deleted under it .*refusing to sign a checkpoint; reported after the command's work was done: its work is kept and its output stands$/;

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

describe("a command whose closing checkpoint is refused as tampering", () => {
  it("a read prints its answer, then the tampering, and exits 6", async () => {
    const result = await bed.run(["users", "list"]);
    expect(result.stdout).toContain("no users yet");
    expect(lastLine(result.stderr)).toMatch(TAMPERED_AFTER_OUTPUT);
    expect(result.code).toBe(6);

    const json = await bed.run(["--json", "users", "list"]);
    expect(JSON.parse(json.stdout)).toEqual([]);
    expect(lastLine(json.stderr)).toMatch(TAMPERED_AFTER_OUTPUT);
    expect(json.code).toBe(6);
  });

  it("an ingest prints its summary line for the rows it committed", async () => {
    fs.copyFileSync(path.join(fixtures, "flight.csv"), path.join(bed.directory, "flight.csv"));
    const result = await bed.run(["ingest", "flight", "flight.csv"]);
    expect(lastLine(result.stdout)).toBe("read=2 new=2 corrected=0 unchanged=0 rejected=0");
    expect(lastLine(result.stderr)).toMatch(TAMPERED_AFTER_OUTPUT);
    expect(result.code).toBe(6);
    const again = await bed.run(["ingest", "flight", "flight.csv"]);
    expect(lastLine(again.stdout)).toBe("read=2 new=0 corrected=0 unchanged=2 rejected=0");
  });

  it("audit prove gives an intact entry its proof, and names the file a deleted range was under", async () => {
    const intact = await bed.run(["audit", "prove", "10"]);
    expect(intact.stdout).toContain("tree size   40");
    expect(lastLine(intact.stdout)).toBe("verified    yes");
    expect(lastLine(intact.stderr)).toMatch(TAMPERED_AFTER_OUTPUT);
    expect(intact.code).toBe(6);

    const underFile = await bed.run(["audit", "prove", "45"]);
    expect(underFile.stdout).toBe("");
    expect(underFile.stderr).toMatch(
      /error PASSAGE_ERR_AUDIT_TAMPERED: .*entry 45 is covered by .*000000000080\.json, a checkpoint signed .* for 80 entries, but the log holds \d+ and no database checkpoint covers it/,
    );
    expect(underFile.code).toBe(6);
  });
});
