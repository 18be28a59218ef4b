import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Access, createAccess, LOCAL_OPERATOR } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { TEST_AS_OF } from "@passage/synth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLifecycleService } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import { createLinkageService } from "../linkage/linkage-service.ts";
import { TEST_TRAINING } from "../linkage/testing/linkage-population.ts";
import { createTransportService } from "../transport/transport-service.ts";
import { createWorklistService } from "../worklist/worklist-service.ts";
import { findTrulyBarredOnLists } from "./barred-on-lists.ts";
import { readLifecycleTruth } from "./evaluate-lifecycle-truth.ts";
import { runSyntheticTruthTrial, type SyntheticTruthTrialReport } from "./synthetic-truth-trial.ts";

const PERSONS = process.env.PASSAGE_SOAK === "1" ? 5_000 : 800;
let database: TestDatabase;
let access: Access;
let directory: string;
let report: SyntheticTruthTrialReport;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-truth-trial-"));
  access = createAccess({ database, dataDir: directory });
  const services = {
    store: database,
    linkage: createLinkageService({ store: database }),
    lifecycle: createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES }),
    worklist: createWorklistService({ store: database }),
    transport: createTransportService({ store: database }),
  };
  // Default noise; three flights a day over the inventory's 270 days, so the horizon has flights.
  report = await runSyntheticTruthTrial(services, {
    access: access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "truth-trial" }),
    directory: path.join(directory, "population"),
    synth: { persons: PERSONS, seed: "truth-trial", asOf: TEST_AS_OF, flights: 810 },
    training: TEST_TRAINING,
    workReviewQueue: true,
  });
}, 600_000);

afterAll(async () => {
  await access.close();
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

// What linkage gets wrong is counted and classified, not hidden: with linkage's current recall
// (about 95% pairwise on default noise, so about one true person in ten is split) the issue's
// 99.5% match rate is out of reach, and a split can put a truly barred person's other records
// on the worklist. The lifecycle itself, on the records linkage formed, must agree with the
// truth on every person (no engine disagreement), and nothing barred may reach a list on
// records linkage formed exactly.
describe("against the synthetic ground truth (linked by passage link)", () => {
  it("derives the true lifecycle wherever linkage formed the true person; every mismatch is a linkage error or a deliberately ambiguous record", () => {
    const { lifecycle } = report;
    console.info(
      `truth trial of ${lifecycle.persons} persons: match rate ${(lifecycle.matchRate * 100).toFixed(2)}%, ` +
        `mismatches ${JSON.stringify(lifecycle.byClass)}, by field ${JSON.stringify(lifecycle.byField)}, ` +
        `linkage ${JSON.stringify(report.linkage?.pairwise)}`,
    );
    expect(lifecycle.persons).toBe(PERSONS);
    expect(lifecycle.examples.engine_disagreement).toEqual([]);
    expect(lifecycle.byClass.engine_disagreement).toBe(0);
    expect(lifecycle.matched + lifecycle.byClass.linkage_error + lifecycle.byClass.ambiguous_record).toBe(
      lifecycle.persons,
    );
    // A floor, not the 99.5% (see above): it fails if mismatches grow beyond linkage's share.
    // 720 of 800 matched until 25 Nov; since timely filings decide the overstay fact (lifecycle-
    // semantics 55), one more person (an adjustment applicant with a deliberately ambiguous record)
    // mismatches on it: 719, so the floor sits a few persons below, not at the figure.
    expect(lifecycle.matchRate).toBeGreaterThanOrEqual(0.895);
  });

  it("puts no person whose true state carries a §1.9 blocker or a gate on any worklist or manifest through the engine", () => {
    const { barredOnLists, transport } = report;
    console.info(
      `lists: ${JSON.stringify(barredOnLists.lists)}; barred by cause ${JSON.stringify(barredOnLists.byCause)}, ` +
        `by bar ${JSON.stringify(barredOnLists.byBar)}; transport: ${JSON.stringify(transport)}`,
    );
    expect(barredOnLists.byCause.engine_disagreement).toBe(0);
    expect(barredOnLists.examples.filter((listing) => listing.cause === "engine_disagreement")).toEqual([]);
    // Whatever linkage caused is a small share of the truly barred (the figure is in the bench).
    expect(barredOnLists.barred).toBeLessThan(barredOnLists.trulyBarredPersons / 100);
    // Not vacuous: three worklists and the manifests were checked, people are listed, the horizon
    // has flights, and the population has many truly barred persons who could have slipped on.
    expect(barredOnLists.lists.map((list) => list.name)).toEqual([
      expect.stringMatching(/^worklist \(active policy /),
      expect.stringMatching(/^worklist ranked by /),
      expect.stringMatching(/^worklist ranked by /),
      expect.stringMatching(/^manifests of /),
    ]);
    for (const list of barredOnLists.lists.slice(0, 3)) expect(list.truePersons).toBeGreaterThan(5);
    expect(transport!.flights).toBeGreaterThan(0);
    expect(barredOnLists.trulyBarredPersons).toBeGreaterThan(PERSONS / 10);
  });

  it("once the review queue is worked, empties it, matches the reviewed truth more often and lists nothing barred by the engine", () => {
    const before = report.lifecycle;
    const after = report.afterReview!;
    console.info(
      `after review: ${JSON.stringify(after.decisions)}, still open ${after.stillOpen}, match rate ` +
        `${(before.matchRate * 100).toFixed(2)}% -> ${(after.lifecycle.matchRate * 100).toFixed(2)}%, ` +
        `mismatches ${JSON.stringify(after.lifecycle.byClass)}, barred ${after.barredOnLists.barred}`,
    );
    // Not vacuous: the queue had items of both kinds, and deciding them emptied it.
    expect(after.decisions.accepted).toBeGreaterThan(0);
    expect(after.decisions.rejected).toBeGreaterThan(0);
    expect(after.stillOpen).toBe(0);
    // Accepted pairs joined persons (fewer engine persons) and cleared identity gates.
    expect(after.enginePersons).toBeLessThan(report.enginePersons);
    expect(after.lifecycle.matched).toBeGreaterThan(before.matched);
    expect(after.lifecycle.byClass.engine_disagreement).toBe(0);
    expect(after.barredOnLists.byCause.engine_disagreement).toBe(0);
    expect(after.barredOnLists.barred).toBeLessThanOrEqual(report.barredOnLists.barred);
    // Issue 5's figure once review is done: nobody truly barred on any list (0 at 20,000 persons too).
    expect(after.barredOnLists.barred).toBe(0);
  });

  it("finds a truly barred person put on a list (the check can fail)", async () => {
    const truthDir = path.join(directory, "population");
    let barredRecord: { personId: string; entity: string } | undefined;
    for await (const truth of readLifecycleTruth(path.join(truthDir, "truth.lifecycle.ndjson"))) {
      if (truth.blockers.includes("STAY_GRANTED") && truth.ambiguous === null) {
        barredRecord = { personId: truth.person_id, entity: truth.records[0]! };
        break;
      }
    }
    const { rows } = await database.pool.query<{ person_id: string }>(
      "SELECT person_id FROM person_member WHERE feed || ':' || key_value = $1",
      [barredRecord!.entity],
    );
    const found = await findTrulyBarredOnLists(database, {
      truthDir,
      lists: [{ name: "planted", personIds: [rows[0]!.person_id] }],
    });
    expect(found.barred).toBe(1);
    expect(found.examples[0]).toMatchObject({ truePersonId: barredRecord!.personId, list: "planted" });
    expect(found.examples[0]!.bars).toContain("STAY_GRANTED");
  });
});
