// Audit log benchmark (issue 6): appends N entries (default 1,000,000) through the real audit
// log into a fresh embedded database (or DATABASE_URL), signs a checkpoint, then times
// verification — the library call and `passage audit verify` end to end — and the start of a
// command that loads nothing (`passage --help`). Target on a 2-core machine: verify of 1M
// entries <= 5 s. Usage: npx tsx bench/audit/run.ts [--entries N] [--keep]
// [--data-dir DIR] (DIR is kept, and a log it already holds is topped up to N entries, not rebuilt:
// repeated verify measurements need not append a million entries each time).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type AuditEvent, AuditLog } from "@passage/access";
import { createAuditRepository, openStore } from "@passage/store";
import { commandLineOption, wholeNumberOption } from "../command-line.ts";
import { CLOCK_TICKS_PER_SECOND, readProcessStat } from "../process-cpu.ts";

const TARGET_VERIFY_SECONDS = 5;

const entries = wholeNumberOption("entries", 1_000_000, 1);
const reused = commandLineOption("data-dir");
const keep = process.argv.includes("--keep") || reused !== undefined;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const directory = reused
  ? path.resolve(reused)
  : fs.mkdtempSync(path.join(os.tmpdir(), "passage-bench-audit-"));
fs.mkdirSync(directory, { recursive: true });
fs.chmodSync(directory, 0o755);
const dataDir = path.join(directory, "data");

const ACTIONS = ["person.read", "status.read", "record.read", "worklist.read", "link.decide"] as const;

/** A realistic entry: an officer reading one person's case for a stated purpose. */
function eventFor(number: number): AuditEvent {
  const denied = number % 37 === 0;
  return {
    time: new Date(Date.UTC(2025, 0, 1) + number * 250).toISOString(),
    requestId: `0b7e${number.toString(16).padStart(8, "0")}-3f1c-4a5e-9d2b-${(number * 7919).toString(16).padStart(12, "0")}`,
    actor: `user:officer${number % 211}`,
    purpose: number % 5 === 0 ? "removal_planning" : "case_review",
    action: ACTIONS[number % ACTIONS.length]!,
    resourceType: "Person",
    resourceId: `person-${(number * 104_729) % 2_000_000}`,
    decision: denied ? "deny" : "allow",
    outcome: denied ? "failure" : "success",
    errorCode: denied ? "PASSAGE_ERR_ACCESS_DENIED" : null,
    reasons: denied ? ["default-deny"] : ["removal-officer.case-reads"],
    details: number % 3 === 0 ? { fieldsHidden: ["confidential"] } : {},
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

const store = await openStore({ dataDir, databaseUrl: process.env.DATABASE_URL });
try {
  const log = new AuditLog({
    repository: createAuditRepository(store),
    dataDir,
    maxBatch: 5_000,
    checkpointEveryEntries: Number.MAX_SAFE_INTEGER,
  });
  const before = await createAuditRepository(store).recordedSize();
  const appended = Math.max(0, entries - before);
  console.error(`appending ${appended} entries (the log held ${before})`);
  let started = performance.now();
  const wave = 20_000;
  for (let first = before; first < entries; first += wave) {
    const count = Math.min(wave, entries - first);
    await Promise.all(Array.from({ length: count }, (_, offset) => log.append(eventFor(first + offset))));
    if ((first / wave) % 10 === 9) console.error(`  ${first + count} appended`);
  }
  const appendSeconds = seconds(started);

  started = performance.now();
  const checkpoint = await log.checkpoint();
  const checkpointSeconds = seconds(started);

  started = performance.now();
  const verifyCpu = process.cpuUsage();
  const verification = await log.verify();
  const verifySeconds = seconds(started);
  const verifyCpuSeconds = cpuSecondsSince(verifyCpu);
  if (!verification.ok) throw new Error(`verification failed: ${verification.problems[0]?.reason}`);
  await log.close({ checkpoint: false });

  // The first run after the sources change bundles them (about 1 s, once); time the runs after.
  await promisify(execFile)(path.join(root, "node_modules/.bin/passage"), ["--help"]);
  console.error("running passage audit verify");
  started = performance.now();
  const childCpu = childCpuSeconds();
  const cli = await promisify(execFile)(
    path.join(root, "node_modules/.bin/passage"),
    ["--json", "--data-dir", dataDir, "audit", "verify"],
    { env: { ...process.env, DATABASE_URL: store.url }, maxBuffer: 16 * 1024 * 1024 },
  );
  const cliSeconds = seconds(started);
  const cliCpuSeconds = childCpuSeconds() - childCpu;
  const cliResult = JSON.parse(cli.stdout) as { ok: boolean; entries: number };
  if (!cliResult.ok) throw new Error("passage audit verify failed");

  // The least a command costs: start, register every command, print the help (median of 5).
  const helpRuns: { seconds: number; cpuSeconds: number }[] = [];
  for (let run = 0; run < 5; run++) {
    const helpStarted = performance.now();
    const helpCpu = childCpuSeconds();
    await promisify(execFile)(path.join(root, "node_modules/.bin/passage"), ["--help"]);
    helpRuns.push({ seconds: seconds(helpStarted), cpuSeconds: childCpuSeconds() - helpCpu });
  }
  const help = helpRuns.sort((a, b) => a.seconds - b.seconds)[2]!;

  const result = {
    benchmark: "audit",
    entries: verification.entries,
    appendSeconds: round(appendSeconds),
    appended,
    appendsPerSecond: appended > 0 ? Math.round(appended / appendSeconds) : null,
    checkpointSeconds: round(checkpointSeconds),
    verifySeconds: round(verifySeconds),
    verifyEntriesPerSecond: Math.round(verification.entries / verifySeconds),
    verifyCpuSeconds: round(verifyCpuSeconds),
    cliVerifySeconds: round(cliSeconds),
    cliCpuSeconds: round(cliCpuSeconds),
    cliHelpSeconds: round(help.seconds),
    cliHelpCpuSeconds: round(help.cpuSeconds),
    targetVerifySeconds: TARGET_VERIFY_SECONDS,
    meetsTarget: verifySeconds <= TARGET_VERIFY_SECONDS * (verification.entries / 1_000_000 || 1),
    cliMeetsTarget: cliSeconds <= TARGET_VERIFY_SECONDS * (verification.entries / 1_000_000 || 1),
    checkpoint: { treeSize: checkpoint?.treeSize, rootHash: checkpoint?.rootHash },
    machine: { cpus: os.cpus().length, load: os.loadavg().map(round) },
    measuredAt: new Date().toISOString(),
  };
  console.log(
    `audit: ${result.entries} entries; append ${result.appendsPerSecond}/s; checkpoint ${result.checkpointSeconds} s; ` +
      `verify ${result.verifySeconds} s (${result.verifyEntriesPerSecond}/s, ${result.verifyCpuSeconds} s Node CPU; ` +
      `target <= ${TARGET_VERIFY_SECONDS} s per 1M); passage audit verify ${result.cliVerifySeconds} s end to end ` +
      `(${result.cliCpuSeconds} s CPU in the CLI process); passage --help ${result.cliHelpSeconds} s ` +
      `(${result.cliHelpCpuSeconds} s CPU)`,
  );
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, "bench/results/audit.json"), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await store.close();
  if (!keep) fs.rmSync(directory, { recursive: true, force: true });
}

/** CPU time of this process, its worker threads included. */
function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** CPU time of the child processes this one has waited for (Linux: utime and stime of children in /proc/self/stat). */
function childCpuSeconds(): number {
  const stat = readProcessStat(process.pid);
  return stat === undefined ? Number.NaN : (stat.cutime + stat.cstime) / CLOCK_TICKS_PER_SECOND;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
