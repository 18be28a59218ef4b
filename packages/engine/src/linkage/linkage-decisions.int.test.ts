import type { AuditedAccess } from "@passage/access";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import {
  ingestSynthFiles,
  membershipOf,
  operatorAccess,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

let database: TestDatabase;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;

/**
 * Three encounter records of one name, birth date and passport: X holds one A-number, Z another,
 * Y none. X-Y and Y-Z score alike (auto-link); the batch joins X and Y (ties break by record id),
 * keeps Z apart (two A-numbers) and asks about Y-Z in review.
 */
interface Trio {
  readonly x: string;
  readonly y: string;
  readonly z: string;
}

const TRIO_NAMES = [
  ["Oyelaran", "Babatunde"],
  ["Vasquez-Irala", "Teodoro"],
  ["Nakashima", "Ryuichi"],
  ["Haddad", "Samira"],
] as const;

const trios: Trio[] = TRIO_NAMES.map((_, index) => ({
  x: `encounter:EN-T${index}-1`,
  y: `encounter:EN-T${index}-2`,
  z: `encounter:EN-T${index}-3`,
}));

/** Two records that share nothing a model links on. */
const APART = ["encounter:EN-ML-1", "encounter:EN-ML-2"] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  const files = await writeSynthFiles(200, "linkage-decisions");
  await ingestSynthFiles(database, files);
  removeSynthFiles(files);
  const ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: "linkage decisions test",
    maxDelayMs: 1,
  });
  const encounter = async (id: string, row: Record<string, string>) => {
    const outcome = await ingestor.ingest("encounter", {
      encounter_id: id,
      encounter_type: "interior_arrest",
      event_date: "2024-02-01",
      ...row,
    });
    if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
  };
  for (const [index, [family, given]] of TRIO_NAMES.entries()) {
    const person = {
      family_name: family,
      given_names: given,
      date_of_birth: `1979-05-${String(index + 10)}`,
      sex: "M",
      nationality: "NGA",
      passport_number: `A0777000${index}`,
      passport_country: "NGA",
    };
    await encounter(`EN-T${index}-1`, { ...person, a_number: `A04440${index}011` });
    await encounter(`EN-T${index}-2`, person);
    await encounter(`EN-T${index}-3`, { ...person, a_number: `A04440${index}099` });
  }
  await encounter("EN-ML-1", {
    family_name: "Lindqvist",
    given_names: "Feodora",
    date_of_birth: "1990-01-02",
  });
  await encounter("EN-ML-2", { family_name: "Marchetti", given_names: "Theo", date_of_birth: "1961-11-30" });
  await ingestor.close();
  await linkage.linkAll(operator, { training: TEST_TRAINING });
});
afterAll(async () => {
  await closeAccess();
  await database.drop();
});

const personOf = async (key: string) => (await membershipOf(database)).get(key);

/** The membership changes the next batch run makes: none when re-forming agreed with it. */
async function changesOfNextBatch(): Promise<string[]> {
  const before = await membershipOf(database);
  await linkage.linkAll(operator);
  const after = await membershipOf(database);
  return [...after]
    .filter(([key, person]) => before.get(key) !== person)
    .map(([key, person]) => `${key}: ${before.get(key)} -> ${person}`);
}

describe("the batch's starting point", () => {
  it("joins X and Y, keeps Z apart and asks about Z in review", async () => {
    for (const { x, y, z } of trios) {
      expect(await personOf(x)).toBe(await personOf(y));
      expect(await personOf(z)).not.toBe(await personOf(y));
      const reviews = await linkage.listReviews(operator, { personId: await personOf(z) });
      expect(reviews.map((item) => [item.leftRecord, item.rightRecord].sort().join())).toContain(
        [y, z].join(),
      );
    }
  });
});

describe("re-forming persons after a decision agrees with the next batch run", () => {
  it("a cannot-link that splits a person lets the part that is free again join the person it links to", async () => {
    const { x, y, z } = trios[0]!;
    const result = await linkage.decidePair(operator, x, y, {
      decision: "cannot_link",
      reason: "another man (A-file)",
    });
    expect(result.persons[x]).not.toBe(result.persons[y]);
    // Y, without X's A-number, no longer conflicts with Z: the batch joins them, and so does re-forming.
    expect(await personOf(y)).toBe(await personOf(z));
    expect(await changesOfNextBatch()).toEqual([]);
  });

  it("unlinking a record re-forms what it leaves and links it as the batch would", async () => {
    const { x, y, z } = trios[1]!;
    await linkage.unlinkRecord(operator, x, { reason: "the encounter is another man's (fingerprints)" });
    expect(await personOf(y)).toBe(await personOf(z));
    expect(await personOf(x)).not.toBe(await personOf(y));
    expect(await changesOfNextBatch()).toEqual([]);
  });
});

describe("accepting a review item", () => {
  it("merges the two persons and names each record kept apart, and why, never splitting silently", async () => {
    const { x, y, z } = trios[2]!;
    const [item] = (await linkage.listReviews(operator, { personId: await personOf(z) })).filter(
      (review) => [review.leftRecord, review.rightRecord].sort().join() === [y, z].join(),
    );
    const result = await linkage.decideReview(operator, item!.reviewId, {
      outcome: "accept",
      reason: "same man: photographs match",
    });
    expect(result.persons[y]).toBe(result.persons[z]);
    expect(await personOf(x)).not.toBe(result.persons[y]);
    expect(result.keptApart).toEqual([
      {
        record: x,
        personId: await personOf(x),
        reason: "conflicting_identifiers",
        conflictingIdentifiers: ["a_number"],
        conflictsWith: [z],
      },
    ]);
    // X is asked about again: its person and the merged one carry an identity issue until decided.
    const open = await linkage.listReviews(operator, { personId: await personOf(x) });
    expect(open.map((review) => review.reason)).toEqual(["conflicting_identifiers"]);
    expect(await changesOfNextBatch()).toEqual([]);
  });
});

describe("a person a reviewer confirmed with two A-numbers", () => {
  it("takes in a later record that holds one of them, with nothing to review", async () => {
    const { x, y, z } = trios[2]!;
    // Continues the accepting test above: X, kept apart, is then confirmed as the same man too.
    const [item] = (await linkage.listReviews(operator, { personId: await personOf(x) })).filter(
      (review) => review.reason === "conflicting_identifiers",
    );
    await linkage.decideReview(operator, item!.reviewId, {
      outcome: "accept",
      reason: "same man: A-file merge",
    });
    const person = await personOf(z);
    expect([await personOf(x), await personOf(y)]).toEqual([person, person]);
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "later record", maxDelayMs: 1 });
    const [family, given] = TRIO_NAMES[2]!;
    await ingestor.ingest("encounter", {
      encounter_id: "EN-T2-4",
      encounter_type: "interior_arrest",
      event_date: "2024-06-01",
      family_name: family,
      given_names: given,
      date_of_birth: "1979-05-12",
      sex: "M",
      nationality: "NGA",
      passport_number: "A07770002",
      passport_country: "NGA",
      a_number: "A044402011",
    });
    await ingestor.close();
    await linkage.linkAll(operator);
    expect(await personOf("encounter:EN-T2-4")).toBe(person);
    expect(await linkage.listReviews(operator, { personId: person })).toEqual([]);
  });
});

describe("a review item that can no longer be accepted", () => {
  it("is superseded, with the reason, as soon as a cannot-link separates its two persons", async () => {
    const { x, y, z } = trios[3]!;
    const [item] = (await linkage.listReviews(operator, { personId: await personOf(z) })).filter(
      (review) => [review.leftRecord, review.rightRecord].sort().join() === [y, z].join(),
    );
    expect(item).toBeDefined();
    await linkage.decidePair(operator, x, y, { decision: "must_link", reason: "same man (A-file)" });
    await linkage.decidePair(operator, x, z, { decision: "cannot_link", reason: "two men (A-files)" });
    const closed = await linkage.showReview(operator, item!.reviewId);
    expect(closed.status).toBe("superseded");
    expect(closed.note).toMatch(/cannot-link/);
    await expect(
      linkage.decideReview(operator, item!.reviewId, { outcome: "accept", reason: "same man" }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_LINK_REVIEW_CLOSED" });
    const issues = await database.pool.query(
      "SELECT 1 FROM person_identity_issue WHERE person_id = ANY($1)",
      [[await personOf(y), await personOf(z)]],
    );
    expect(issues.rows).toEqual([]);
    expect(await changesOfNextBatch()).toEqual([]);
  });
});

describe("a person's links", () => {
  it("name a must-link as the weakest link of a person only human decisions hold together", async () => {
    const [left, right] = APART;
    const result = await linkage.decidePair(operator, left, right, {
      decision: "must_link",
      reason: "one woman under two names (marriage certificate)",
    });
    const view = await linkage.personLinks(operator, result.persons[left]!);
    expect(view.links).toEqual([expect.objectContaining({ kind: "must_link" })]);
    expect(view.weakestLink).toEqual(view.links[0]);
  });
});
