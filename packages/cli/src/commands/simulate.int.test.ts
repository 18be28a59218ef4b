import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("simulate");
const { run } = bed;

const departureFeedEntries = () => bed.auditEntries("Feed", "departure");

// The simulator streams departure records into the departure feed: the same feed.ingest the
// HTTP feed route asks. (Persons to simulate are the engine's concern: an empty database has none.)
describe("passage simulate departures", () => {
  it("denies a user without feed.ingest, with one coded error line", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run(["--as", "auditor", "simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr).toBe(
      "error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not feed.ingest Feed departure\n",
    );
    expect(await departureFeedEntries()).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });

  it("audits the local operator's simulation with purpose cli and what was sent", async () => {
    const simulated = await run(["simulate", "departures", "--rate", "5", "--count", "1"]);
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toMatch(/^sent=0 rejected=0 /);
    expect((await departureFeedEntries()).at(-1)).toMatchObject({
      actor: "system:local-operator",
      purpose: "cli",
      action: "feed.ingest",
      decision: "allow",
      outcome: "success",
      details: { simulator: "departures", rate: 5, count: 1, sent: 0, rejected: 0, phase: "finished" },
    });
    // Each batch commits as it goes: the run is on record from its start.
    expect((await departureFeedEntries()).at(-2)).toMatchObject({
      actor: "system:local-operator",
      action: "feed.ingest",
      details: { simulator: "departures", rate: 5, count: 1, phase: "started" },
    });
  });
});
