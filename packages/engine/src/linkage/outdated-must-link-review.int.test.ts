import type { AuditedAccess } from "@passage/access";
import { findDecisionsTouching } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService, type LifecycleService } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import type { LinkageService } from "./linkage-service.ts";
import { createLinkageTestBed, type LinkageTestBed, TEST_TRAINING } from "./testing/linkage-population.ts";
import {
  ADEYEMI,
  conviction,
  FERREIRA,
  linkageScenario,
  OKEKE,
  SENTHIL,
  SOUZA,
} from "./testing/linkage-scenario.ts";

/**
 * An outdated must-link is asked again in review (`must_link_outdated`), on both paths, so the
 * queue offers the re-decision through `review decide`; the gate it holds lifts once someone
 * judges the changed record again: the pair decided (accept or reject of the item), or a must-link
 * of the changed record to another record of the person that holds it now. Before, no item was
 * opened (the queue offered nothing, the decided item was closed) and only a new decision on the
 * exact pair lifted the gate: confirming the corrected record with another record of its person
 * left IDENTITY_NOT_CONFIRMED citing the old pair.
 */

let bed: LinkageTestBed;
let database: TestDatabase;
let operator: AuditedAccess;
let linkage: LinkageService;
let lifecycle: LifecycleService;
let ingestor: RowIngestor;

const { ingest, ingestPerson, personOf, catchUp, deriveStatuses, identityGateOf } = linkageScenario(() => ({
  database,
  ingestor,
  linkage,
  lifecycle,
}));

/** The open review items of a pair of records. */
async function openItemsOf(left: string, right: string) {
  const items = await linkage.listReviews(operator, { status: "open", limit: 500 });
  return items.filter(
    (item) =>
      (item.leftRecord === left && item.rightRecord === right) ||
      (item.leftRecord === right && item.rightRecord === left),
  );
}

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "outdated-must-link-review");
  ({ database, operator, linkage } = bed);
  lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
  ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: "outdated must-link review test",
    maxDelayMs: 1,
  });
  await ingestPerson("OK", OKEKE);
  await ingestPerson("SZ", SOUZA);
  await ingestPerson("AD", ADEYEMI);
  await ingestPerson("FE", FERREIRA);
  await ingest("conviction", conviction("CV-OK", OKEKE));
  await ingest("conviction", conviction("CV-AD", ADEYEMI, false));
  await ingestPerson("SE", SENTHIL);
  await ingest("conviction", conviction("CV-SE", SENTHIL, false));
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  for (const [record, partner] of [
    ["conviction:CV-OK", "encounter:EN-OK"],
    ["conviction:CV-AD", "encounter:EN-AD"],
    ["conviction:CV-SE", "encounter:EN-SE"],
  ] as const)
    await linkage.decidePair(operator, record, partner, {
      decision: "must_link",
      reason: "same person (test: the review accept)",
    });
  await catchUp();
  // Both convictions are corrected by their source to describe someone else.
  await ingest("conviction", conviction("CV-OK", SOUZA));
  await ingest("conviction", conviction("CV-AD", FERREIRA, false));
  await catchUp();
});

afterAll(async () => {
  await ingestor?.close();
  await bed?.close();
});

describe("an outdated must-link asked again in review", () => {
  it("is open in the queue on its pair, on the incremental path and after passage link", async () => {
    const opened: string[] = [];
    for (const prefix of ["OK", "AD"]) {
      const items = await openItemsOf(`conviction:CV-${prefix}`, `encounter:EN-${prefix}`);
      expect(items).toMatchObject([{ reason: "must_link_outdated", status: "open" }]);
      opened.push(items[0]!.reviewId);
      const person = await personOf(`encounter:EN-${prefix}`);
      const listed = await linkage.listReviews(operator, { status: "open", personId: person });
      expect(listed.map((item) => item.reviewId)).toContain(items[0]!.reviewId);
      expect((await identityGateOf(`encounter:EN-${prefix}`)).gate?.holds).toBe(true);
    }
    const report = await linkage.linkAll(operator);
    expect(report.recordsMoved).toBe(0);
    for (const [index, prefix] of ["OK", "AD"].entries()) {
      const items = await openItemsOf(`conviction:CV-${prefix}`, `encounter:EN-${prefix}`);
      expect(items.map((item) => item.reviewId)).toEqual([opened[index]]);
    }
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
  });

  it("explain names the outdated decision's changed record and its versions", async () => {
    const view = await linkage.explainPair(operator, "conviction:CV-OK", "encounter:EN-OK");
    const decision = view.decisions.find((row) => row.decision === "must_link");
    expect(decision).toMatchObject({
      outdated: true,
      outdatedBy: [
        {
          record: "conviction:CV-OK",
          decidedOn: [{ feed: "conviction", recordKey: "CV-OK", version: 1 }],
          changedTo: [{ feed: "conviction", recordKey: "CV-OK", version: 2 }],
        },
      ],
    });
  });

  it("review decide on the item decides the pair again and lifts the gate on both persons", async () => {
    const [item] = await openItemsOf("conviction:CV-AD", "encounter:EN-AD");
    await linkage.decideReview(operator, item!.reviewId, {
      outcome: "reject",
      reason: "the corrected conviction is Ferreira's (test)",
    });
    await catchUp();
    for (const record of ["encounter:EN-AD", "conviction:CV-AD"]) {
      const gate = await identityGateOf(record);
      expect(gate.gate?.holds).toBe(false);
      expect(gate.actionable).toBe(true);
    }
    expect(await openItemsOf("conviction:CV-AD", "encounter:EN-AD")).toEqual([]);
  });

  it("a must-link of the changed record to another record of its person lifts it too", async () => {
    const souza = await personOf("encounter:EN-SZ");
    expect(await personOf("conviction:CV-OK")).toBe(souza);
    await linkage.decidePair(operator, "conviction:CV-OK", "encounter:EN-SZ", {
      decision: "must_link",
      reason: "the corrected conviction is Souza's (test)",
    });
    await catchUp();
    for (const record of ["encounter:EN-OK", "conviction:CV-OK"]) {
      const gate = await identityGateOf(record);
      expect(gate.gate?.holds).toBe(false);
      expect(gate.actionable).toBe(true);
    }
    expect(await openItemsOf("conviction:CV-OK", "encounter:EN-OK")).toEqual([]);
    // The old decision stays on record, outdated; a batch run agrees and asks nothing again.
    const old = (await findDecisionsTouching(database.db, ["encounter:EN-OK"])).find(
      (row) => row.leftRecord === "conviction:CV-OK" || row.rightRecord === "conviction:CV-OK",
    );
    expect(old).toMatchObject({ decision: "must_link", outdated: true });
    expect((await linkage.linkAll(operator)).recordsMoved).toBe(0);
    await deriveStatuses();
    expect(await openItemsOf("conviction:CV-OK", "encounter:EN-OK")).toEqual([]);
    expect((await identityGateOf("encounter:EN-OK")).gate?.holds).toBe(false);
  });

  it("a change of letter case alone outdates nothing: the person stays whole and ungated", async () => {
    const person = await personOf("encounter:EN-SE");
    expect(await personOf("conviction:CV-SE")).toBe(person);
    await ingest(
      "conviction",
      conviction("CV-SE", { ...SENTHIL, family_name: "SENTHIL", given_names: "MURALI" }, false),
    );
    await catchUp();
    const decisions = await findDecisionsTouching(database.db, ["conviction:CV-SE"]);
    expect(decisions).toMatchObject([{ decision: "must_link", outdated: false }]);
    expect(await personOf("conviction:CV-SE")).toBe(person);
    expect((await identityGateOf("encounter:EN-SE")).gate?.holds).toBe(false);
    expect(await openItemsOf("conviction:CV-SE", "encounter:EN-SE")).toEqual([]);
    const report = await linkage.linkAll(operator);
    expect(report).toMatchObject({ recordsMoved: 0, mustLinksOutdated: 0 });
  });

  it("passage link finds a must-link made stale before its change was marked (an upgraded database)", async () => {
    // Senthil's conviction is corrected to describe someone else; the handler links it (and, as
    // the handler before migration 0071 did, overwrites the indexed values without marking: the
    // mark and its item are taken back to stand for that database).
    await ingest("conviction", conviction("CV-SE", ADEYEMI, false));
    await catchUp();
    const decisionId = (await findDecisionsTouching(database.db, ["conviction:CV-SE"]))[0]!.decisionId;
    await database.pool.query("DELETE FROM linkage_must_link_outdated WHERE decision_id = $1", [decisionId]);
    await database.pool.query(
      "UPDATE linkage_review SET status = 'superseded', closed_at = clock_timestamp() WHERE reason = 'must_link_outdated' AND status = 'open'",
    );
    expect(await findDecisionsTouching(database.db, ["conviction:CV-SE"])).toMatchObject([
      { outdated: false },
    ]);
    const report = await linkage.linkAll(operator);
    expect(report.mustLinksOutdated).toBe(1);
    await deriveStatuses();
    expect(await findDecisionsTouching(database.db, ["conviction:CV-SE"])).toMatchObject([
      { outdated: true },
    ]);
    expect(await personOf("conviction:CV-SE")).not.toBe(await personOf("encounter:EN-SE"));
    expect(await openItemsOf("conviction:CV-SE", "encounter:EN-SE")).toMatchObject([
      { reason: "must_link_outdated" },
    ]);
    expect((await identityGateOf("encounter:EN-SE")).gate?.holds).toBe(true);
  });
});
