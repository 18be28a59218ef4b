import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LOCAL_OPERATOR } from "@passage/access";
import { findPersonOfRecord } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigOrThrow } from "../app/config.ts";
import { type App, createApp } from "../app/create-app.ts";
import { catchUpProjections } from "../consumers/projection-runner.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { removalCaseRows } from "../worklist/testing/removal-cases.ts";
import {
  ingestSynthFiles,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

// Two persons holding one A-number (DOMAIN.md §2.2, mistaken identity): a person under a final
// removal order, and an encounter with someone else — other names, another birth date — recorded
// under the same A-number. One of them carries a wrong A-number. The pair scores far below the
// review band; left `no_link`, nothing is asked, no identity issue gates either person, and the
// order keyed to the A-number is actionable against whoever the officer finds. Both paths must
// hold the pair in review, gate both persons, and open nothing once a reviewer kept them apart.
const TODAY = new Date().toISOString().slice(0, 10);
const GATE = "IDENTITY_NOT_CONFIRMED";

let database: TestDatabase;
let app: App;
let dataDir: string;
const operator = () =>
  app.access.forRequest({ actor: LOCAL_OPERATOR, purpose: "test", requestId: "shared-a" });

/** Each case's person, named apart from the others (`removalCaseRows` names them alike). */
const NAMES: Readonly<Record<number, Record<string, string>>> = {
  901: { family_name: "Mbeki", given_names: "Thandiwe", date_of_birth: "1971-03-14" },
  902: { family_name: "Kowalczyk", given_names: "Bartosz", date_of_birth: "1988-09-02" },
  903: { family_name: "Ferreira", given_names: "Joana", date_of_birth: "1979-06-21" },
};

/** The rows of a person under a final removal order (`removalCaseRows`), under the case's own name. */
function removalCase(number: number): Array<[string, Record<string, string>]> {
  return removalCaseRows({ number, asOf: TODAY }).map(([feed, row]) => [
    feed,
    row.family_name === undefined ? row : { ...row, ...NAMES[number] },
  ]);
}

const STRANGERS: Readonly<Record<number, Record<string, string>>> = {
  901: { family_name: "Nakamura-Ellis", given_names: "Yuki", date_of_birth: "1962-11-30" },
  902: { family_name: "Oyelaran", given_names: "Adebayo", date_of_birth: "1999-01-27" },
};

/** An encounter with another person under case `number`'s A-number. */
function stranger(number: number, sex = "F"): Record<string, string> {
  return {
    ...STRANGERS[number],
    sex,
    a_number: `A${String(200_000_000 + number)}`,
    encounter_id: `EN-SHARED-${number}`,
    encounter_type: "interior_arrest",
    event_date: "2024-01-15",
  };
}

async function ingest(rows: ReadonlyArray<readonly [string, Record<string, string>]>): Promise<void> {
  const ingestor = createRowIngestor({ pool: app.store.pool, sourceName: "shared-a-number", maxDelayMs: 1 });
  for (const [feed, row] of rows) {
    const outcome = await ingestor.ingest(feed, row);
    if (outcome.outcome === "rejected") throw new Error(`row rejected: ${JSON.stringify(outcome)}`);
  }
  await ingestor.close();
}

async function catchUp(): Promise<void> {
  while ((await catchUpProjections(app)).applied > 0);
}

const personOf = async (feed: "court" | "encounter", key: string) =>
  (await findPersonOfRecord(app.store.db, feed, key))!;

async function statusOf(personId: string) {
  const { rows } = await app.store.pool.query<{ gates_holding: string[]; actionable: boolean }>(
    "SELECT gates_holding, actionable FROM person_status WHERE person_id = $1",
    [personId],
  );
  return rows[0]!;
}

/** The open review items naming the record, with their reason. */
async function openItemsOf(record: string) {
  const { rows } = await app.store.pool.query<{ other: string; reason: string }>(
    `SELECT CASE WHEN left_record = $1 THEN right_record ELSE left_record END AS other, reason
     FROM linkage_review WHERE status IN ('open', 'unsure') AND $1 IN (left_record, right_record)`,
    [record],
  );
  return rows;
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-shared-a-number-"));
  app = await createApp(
    loadConfigOrThrow({
      cwd: dataDir,
      env: {},
      overrides: { dataDir, databaseUrl: database.url, logLevel: "silent" },
    }),
  );
  const files = await writeSynthFiles(120, "shared-a-number");
  await ingestSynthFiles(app.store, files);
  removeSynthFiles(files);
  // Before the batch: case 901 and the stranger under its A-number, and case 903 alone.
  await ingest([...removalCase(901), ["encounter", stranger(901)], ...removalCase(903)]);
  await app.linkage.linkAll(operator(), { training: TEST_TRAINING });
  await catchUp();
}, 300_000);

afterAll(async () => {
  await app?.shutdown();
  await database?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("two records holding one A-number whose names and birth dates disagree", () => {
  it("batch (passage link): one review item, and both persons gated by IDENTITY_NOT_CONFIRMED", async () => {
    const ordered = await personOf("court", "CE-901-2");
    const other = await personOf("encounter", "EN-SHARED-901");
    expect(other).not.toBe(ordered);
    const items = await openItemsOf("encounter:EN-SHARED-901");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      reason: "shared_identifier",
      other: expect.stringMatching(/^(court|admission):/),
    });
    expect((await statusOf(ordered)).gates_holding).toContain(GATE);
    expect((await statusOf(ordered)).actionable).toBe(false);
    expect((await statusOf(other)).gates_holding).toContain(GATE);
    // The queue tells the reviewer which identifier holds the pair in review.
    const views = await app.linkage.listReviews(operator(), {});
    const view = views.find((item) =>
      [item.leftRecord, item.rightRecord].includes("encounter:EN-SHARED-901"),
    );
    expect(view?.heldInReview).toMatch(/^held in review: the agreeing a_number holds the pair in review/);
    // The same case without a second holder of its A-number is actionable: the gate is what holds it.
    const alone = await statusOf(await personOf("court", "CE-903-2"));
    expect(alone.gates_holding).not.toContain(GATE);
    expect(alone.actionable).toBe(true);
  });

  it("incremental (ingest and the projections): the arriving record is held in review and both persons gated", async () => {
    await ingest(removalCase(902));
    await catchUp();
    const ordered = await personOf("court", "CE-902-2");
    expect((await statusOf(ordered)).actionable).toBe(true);
    await ingest([["encounter", stranger(902)]]);
    await catchUp();
    const other = await personOf("encounter", "EN-SHARED-902");
    expect(other).not.toBe(ordered);
    const items = await openItemsOf("encounter:EN-SHARED-902");
    expect(items).toHaveLength(1);
    expect(items[0]!.reason).toBe("shared_identifier");
    expect((await statusOf(ordered)).gates_holding).toContain(GATE);
    expect((await statusOf(ordered)).actionable).toBe(false);
    expect((await statusOf(other)).gates_holding).toContain(GATE);
  });

  it("opens nothing on either path once a cannot-link keeps the two apart", async () => {
    for (const number of [901, 902]) {
      const [item] = await openItemsOf(`encounter:EN-SHARED-${number}`);
      await app.linkage.decidePair(operator(), `encounter:EN-SHARED-${number}`, item!.other, {
        decision: "cannot_link",
        reason: "two persons: one of them carries a wrong A-number",
      });
    }
    await catchUp();
    // Batch: linking everything again asks nothing about 901.
    await app.linkage.linkAll(operator(), {});
    await catchUp();
    // Incremental: the encounter of 902 corrected (a compared field changed) is linked again: nothing asked.
    await ingest([["encounter", stranger(902, "M")]]);
    await catchUp();
    for (const number of [901, 902]) {
      expect(await openItemsOf(`encounter:EN-SHARED-${number}`)).toEqual([]);
      const ordered = await personOf("court", `CE-${number}-2`);
      expect(await personOf("encounter", `EN-SHARED-${number}`)).not.toBe(ordered);
      expect((await statusOf(ordered)).gates_holding).not.toContain(GATE);
    }
  });
});
