import type { AuditedAccess } from "@passage/access";
import { findPersonStatus } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import { createLifecycleService, type LifecycleService } from "../lifecycle/lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "../lifecycle/lifecycle-sources.ts";
import type { LinkageService } from "./linkage-service.ts";
import { createLinkageTestBed, type LinkageTestBed, TEST_TRAINING } from "./testing/linkage-population.ts";
import { ADEYEMI, conviction, FERREIRA, linkageScenario, OKEKE, SOUZA } from "./testing/linkage-scenario.ts";

/**
 * A must-link judged a record's content as it was. When the source corrects the record (same feed
 * and key, a new version) so that it describes someone else, the decision no longer confirms
 * anything: no linkage path joins the pair through it (the incremental path, `passage link`), and
 * IDENTITY_NOT_CONFIRMED holds on the persons holding either record, citing them, until the pair
 * is decided again. Before, the corrected conviction stayed in Okeke's person, and the batch
 * merged Okeke's admission and visa with Souza's records through the stale must-link.
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

const cited = (gate: { evidence: readonly { feed: string; recordKey: string }[] } | undefined) =>
  (gate?.evidence ?? []).map((citation) => `${citation.feed}:${citation.recordKey}`).sort();

async function storedStatus(personId: string) {
  const row = await findPersonStatus(database.db, personId);
  if (!row) throw new Error(`no stored status for ${personId}`);
  return row;
}

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "outdated-must-link");
  ({ database, operator, linkage } = bed);
  lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "outdated must-link test", maxDelayMs: 1 });
  await ingestPerson("OK", OKEKE);
  await ingestPerson("SZ", SOUZA);
  await ingestPerson("AD", ADEYEMI);
  await ingestPerson("FE", FERREIRA);
  await ingest("conviction", conviction("CV-OK", OKEKE));
  await ingest("conviction", conviction("CV-AD", ADEYEMI, false));
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  // A reviewer accepted each conviction as the person's (a human must-link on the pair).
  for (const [record, partner] of [
    ["conviction:CV-OK", "encounter:EN-OK"],
    ["conviction:CV-AD", "encounter:EN-AD"],
  ] as const)
    await linkage.decidePair(operator, record, partner, {
      decision: "must_link",
      reason: "same person (test: the review accept)",
    });
  await catchUp();
});

afterAll(async () => {
  await ingestor?.close();
  await bed?.close();
});

describe("a must-link whose record is corrected to describe someone else", () => {
  it("holds both convictions in their persons, which are actionable, before any correction", async () => {
    for (const [record, partner] of [
      ["conviction:CV-OK", "encounter:EN-OK"],
      ["conviction:CV-AD", "encounter:EN-AD"],
    ]) {
      expect(await personOf(record!)).toBe(await personOf(partner!));
      const { actionable, gate } = await identityGateOf(partner!);
      expect(gate?.holds).toBe(false);
      expect(actionable).toBe(true);
    }
  });

  it("incrementally: the corrected record leaves the person and both persons are gated", async () => {
    await ingest("conviction", conviction("CV-OK", SOUZA));
    await catchUp();
    const okeke = await personOf("encounter:EN-OK");
    const convicted = await personOf("conviction:CV-OK");
    expect(convicted).not.toBe(okeke);
    expect(await personOf("admission:OK940000001")).toBe(okeke);
    // Okeke's person rests on a must-link decided on the conviction as it was: gated, citing its own record.
    const okekeGate = await identityGateOf("encounter:EN-OK");
    expect(okekeGate.gate?.holds).toBe(true);
    expect(cited(okekeGate.gate)).toContain("encounter:EN-OK");
    expect(okekeGate.actionable).toBe(false);
    expect((await storedStatus(okeke)).gatesHolding).toContain("IDENTITY_NOT_CONFIRMED");
    // The person the conviction is in now holds it against a reviewer's word: gated, citing it.
    const convictedGate = await identityGateOf("conviction:CV-OK");
    expect(convictedGate.gate?.holds).toBe(true);
    expect(cited(convictedGate.gate)).toContain("conviction:CV-OK");
    expect(convictedGate.actionable).toBe(false);
  });

  it("by the batch: no merge through the outdated must-link, and the same gates", async () => {
    // Adeyemi's conviction is corrected while only the batch runs (the handler never sees it).
    await ingest("conviction", conviction("CV-AD", FERREIRA, false));
    const report = await linkage.linkAll(operator);
    await deriveStatuses();
    for (const [prefix, other] of [
      ["OK", "SZ"],
      ["AD", "FE"],
    ] as const) {
      const person = await personOf(`encounter:EN-${prefix}`);
      expect(await personOf(`admission:${prefix}940000001`)).toBe(person);
      expect(await personOf(`visa:V-${prefix}`)).toBe(person);
      expect(await personOf(`conviction:CV-${prefix}`)).not.toBe(person);
      expect(await personOf(`admission:${other}940000001`)).not.toBe(person);
      const gate = await identityGateOf(`encounter:EN-${prefix}`);
      expect(gate.gate?.holds).toBe(true);
      expect(cited(gate.gate)).toContain(`encounter:EN-${prefix}`);
      expect(gate.actionable).toBe(false);
      const convicted = await identityGateOf(`conviction:CV-${prefix}`);
      expect(convicted.gate?.holds).toBe(true);
      expect(cited(convicted.gate)).toContain(`conviction:CV-${prefix}`);
    }
    expect(report.mustLinksOutdated).toBe(1);
    // A second run changes nothing: the incremental path and the batch agree.
    const again = await linkage.linkAll(operator);
    expect(again.recordsMoved).toBe(0);
    expect(again.mustLinksOutdated).toBe(0);
  });

  it("lifts once a reviewer decides the pair again", async () => {
    for (const prefix of ["OK", "AD"]) {
      await linkage.decidePair(operator, `conviction:CV-${prefix}`, `encounter:EN-${prefix}`, {
        decision: "cannot_link",
        reason: "the corrected conviction is someone else's (test)",
      });
    }
    await catchUp();
    for (const prefix of ["OK", "AD"]) {
      const gate = await identityGateOf(`encounter:EN-${prefix}`);
      expect(cited(gate.gate)).not.toContain(`encounter:EN-${prefix}`);
      expect(gate.gate?.holds).toBe(false);
      expect(gate.actionable).toBe(true);
      const convicted = await identityGateOf(`conviction:CV-${prefix}`);
      expect(cited(convicted.gate)).not.toContain(`conviction:CV-${prefix}`);
    }
  });
});
