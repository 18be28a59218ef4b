import { createRowIngestor, todayUtc } from "@passage/engine";
import { describe, expect, it } from "vitest";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const today = todayUtc();
const reportedAt = new Date().toISOString();

/** A departure row of the removal case numbered `number` (removal-cases.ts), whose person fields it repeats. */
function departureOf(number: number, date: string, evidence: string): [string, Record<string, string>] {
  return [
    "departure",
    {
      family_name: `Testperson${number}`,
      given_names: "Ana",
      date_of_birth: "1985-05-05",
      a_number: `A${String(200_000_000 + number)}`,
      departure_id: `D-CLI-${number}`,
      departure_date: date,
      mode: "air",
      evidence,
      reported_at: reportedAt,
    },
  ];
}

// Two persons under final orders: one removed today (verified), one who says they left yesterday
// (claimed, no government record). Their statuses are not derived yet: the command catches up.
const bed = useCliTestBed("departures", async (database) => {
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestPerson(database, ingestor, "P-1", [
    ...removalCaseRows({ number: 1, asOf: today }),
    departureOf(1, today, "removal_executed"),
  ]);
  await ingestPerson(database, ingestor, "P-2", [
    ...removalCaseRows({ number: 2, asOf: today }),
    departureOf(2, dayFrom(today, -1), "self_report"),
  ]);
  await ingestor.close();
});
const { run } = bed;
const departureReads = async () =>
  (await bed.auditEntries("Report", "departures")).filter(
    (entry) => entry.action === "departure_metrics.read",
  );

describe("passage departures metrics", () => {
  it("prints the document GET /api/v1/departures/metrics answers, over the last 30 days by default, audited", async () => {
    const result = await run(["departures", "metrics", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout);
    // The route's document, key for key and in its order.
    expect(Object.keys(document)).toEqual([
      "generatedAt",
      "from",
      "to",
      "hours",
      "confirmationsPerHour",
      "perDay",
      "claimedNeverCorroborated",
      "claimedCorroborated",
      "daysToDeparture",
      "overstays",
    ]);
    expect(document).toMatchObject({
      from: dayFrom(today, -29),
      to: today,
      perDay: [
        { date: dayFrom(today, -1), tier: "claimed", evidenceKind: "self_report", count: 1 },
        { date: today, tier: "verified", evidenceKind: "removal_executed", count: 1 },
      ],
      claimedNeverCorroborated: 1,
      claimedCorroborated: 0,
      daysToDeparture: { fromFinalOrder: { count: 1 }, fromVoluntaryDepartureGrant: { count: 0 } },
      overstays: { departureClaimed: 1 },
    });
    expect(document.confirmationsPerHour).toEqual([
      { hour: `${reportedAt.slice(0, 13)}:00:00.000Z`, tier: "claimed", count: 1 },
      { hour: `${reportedAt.slice(0, 13)}:00:00.000Z`, tier: "verified", count: 1 },
    ]);
    expect(Date.parse(document.hours.until) - Date.parse(document.hours.since)).toBe(24 * 60 * 60 * 1000);
    expect(result.stdout).not.toContain("Testperson");
    expect(result.stdout).not.toContain("P-1");
    expect((await departureReads()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      resourceType: "Report",
      resourceId: "departures",
      decision: "allow",
      outcome: "success",
      details: { from: null, to: null },
    });
  });

  it("prints a short summary, for the range asked", async () => {
    const result = await run([
      "--purpose",
      "weekly figures",
      "departures",
      "metrics",
      "--from",
      today,
      "--to",
      today,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^departures ${today} to ${today} \\(generated \\S+Z\\)$`));
    // Only today's verified departure is in the range: one column, one row.
    expect(lines.slice(1, 3)).toEqual([
      `  date        ${"verified".padStart(9)}`,
      `  ${today}  ${"1".padStart(9)}`,
    ]);
    expect(result.stdout).toContain("by evidence: verified removal_executed 1");
    expect(result.stdout).toContain("claimed departures: 0 never corroborated, 0 corroborated");
    expect(result.stdout).toMatch(/days to a verified departure: from a final order median \d+ days/);
    expect(result.stdout).toContain("1 with only a claimed departure");
    expect(result.stdout).toMatch(/confirmed \S+ to \S+: claimed 1, verified 1$/m);
    expect((await departureReads()).at(-1)).toMatchObject({
      purpose: "weekly figures",
      details: { from: today, to: today },
    });
  });

  it("refuses a --from after --to, a range too long and a date that does not exist, naming the option", async () => {
    const before = (await departureReads()).length;
    const nextYear = `${Number(today.slice(0, 4)) + 1}-01-01`;
    for (const [args, message] of [
      [
        ["--from", "2026-02-01", "--to", "2026-01-01"],
        "--from 2026-02-01 is after --to 2026-01-01: the range must not end before it begins",
      ],
      // With --to left out it is today: a --from after today is backwards too, not an empty answer.
      [["--from", nextYear], `--from ${nextYear} is after --to (not given: today, ${today})`],
      [
        ["--from", "2024-01-01", "--to", "2025-01-01"],
        "--from 2024-01-01 to --to 2025-01-01 is 367 days: at most 366",
      ],
      [["--from", "2026-02-30"], '--from must be a date YYYY-MM-DD that exists, got "2026-02-30"'],
      [["--to", "2026-13-01"], '--to must be a date YYYY-MM-DD that exists, got "2026-13-01"'],
      [["--to", "26-01-01"], '--to must be a date YYYY-MM-DD that exists, got "26-01-01"'],
    ] as const) {
      const result = await run(["departures", "metrics", "--json", ...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error PASSAGE_ERR_CLI_USAGE: /);
      expect(result.stderr).toContain(message);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    // 366 days, both ends included (a leap year), is the longest range answered.
    const leapYear = await run([
      "departures",
      "metrics",
      "--json",
      "--from",
      "2024-01-01",
      "--to",
      "2024-12-31",
    ]);
    expect(leapYear.code, leapYear.stderr).toBe(0);
    expect(await departureReads()).toHaveLength(before + 1);
  });

  it("denies, and audits, a user whose role may not read departure figures", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run(["--as", "investigator", "departures", "metrics", "--json"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:investigator may not departure_metrics.read Report departures\n",
    );
    expect((await departureReads()).at(-1)).toMatchObject({
      actor: "user:investigator",
      decision: "deny",
      outcome: "failure",
    });
    const auditor = await run(["--as", "auditor", "departures", "metrics", "--json"]);
    expect(auditor.code, auditor.stderr).toBe(0);
    expect(JSON.parse(auditor.stdout).perDay).toHaveLength(2);
  });
});
