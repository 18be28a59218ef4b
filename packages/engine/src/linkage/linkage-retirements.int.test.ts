import type { Access, Actor, AuditedAccess } from "@passage/access";
import { findPersonOfRecord, setCaseAssignment } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { createRowIngestor, type RowIngestor } from "../ingest/row-ingestor.ts";
import { createLinkageService, type LinkageService } from "./linkage-service.ts";
import {
  ingestSynthFiles,
  operatorAccess,
  removeSynthFiles,
  TEST_TRAINING,
  writeSynthFiles,
} from "./testing/linkage-population.ts";

// A change of links that retires a person (a must-link merging two persons, an unlink after which
// a neighbour's records join the person that remains) answers with the retirement and where its
// records went, to a reader who may read the retired person's links; a reader who may not gets it
// counted in personsWithheld and never named. The retired person no longer exists: it is judged
// on its case as it was before the change.

const SUPERVISOR_NYC: Actor = {
  kind: "user",
  id: "supervisor-nyc",
  roles: ["supervisor"],
  office: "NYC",
  confidentialityNeeds: [],
  country: "",
};

let database: TestDatabase;
let access: Access;
let closeAccess: () => Promise<void>;
let operator: AuditedAccess;
let linkage: LinkageService;
let ingestor: RowIngestor;

const as = (actor: Actor) => access.forRequest({ actor, purpose: "test", requestId: `retire-${actor.id}` });

async function ingest(feed: string, row: Record<string, string>) {
  const outcome = await ingestor.ingest(feed, row);
  if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
}

async function linkIncrementally() {
  await ingestor.flush();
  await createConsumerRunner({ db: database.db, pool: database.pool, handlers: [linkage.handler] }).catchUp();
}

async function personOf(key: string): Promise<string> {
  const [feed, keyValue] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  const person = await findPersonOfRecord(database.db, feed as never, keyValue);
  if (!person) throw new Error(`${key} has no person`);
  return person;
}

async function assign(personId: string, office: string) {
  await setCaseAssignment(database.db, { personId, office, assignees: [], updatedBy: "test" });
}

/** One man's four records, all under one A-number: `tag` keeps each group apart from the others. */
async function ingestGroup(tag: string, family: string, aNumber: string) {
  const person = { family_name: family, given_names: "Augustin", date_of_birth: "1979-08-14", sex: "M" };
  await ingest("encounter", {
    ...person,
    encounter_id: `EN-${tag}-R`,
    a_number: aNumber,
    encounter_type: "interior_arrest",
    event_date: "2023-02-01",
  });
  await ingest("court", {
    ...person,
    court_event_id: `CE-${tag}-S`,
    a_number: aNumber,
    case_id: `C-${tag}-1`,
    case_type: "RMV",
    event_type: "nta_filed",
    event_date: "2023-03-01",
  });
  await ingest("custody", {
    ...person,
    booking_id: `B-${tag}-T`,
    a_number: aNumber,
    facility_code: "NWKDCNJ",
    event: "book_in",
    event_date: "2023-02-02",
  });
  await ingest("encounter", {
    ...person,
    encounter_id: `EN-${tag}-X`,
    a_number: aNumber,
    encounter_type: "border_apprehension",
    event_date: "2023-05-09",
  });
  await linkIncrementally();
  return {
    R: `encounter:EN-${tag}-R`,
    S: `court:CE-${tag}-S`,
    T: `custody:B-${tag}-T`,
    X: `encounter:EN-${tag}-X`,
  };
}

/**
 * A person P = {R, S, T} (NYC) held together by must-links, and a neighbour N = {X} (LAX) that a
 * cannot-link with R alone keeps out of it: once R is unlinked, X joins S and T and N retires into P.
 */
async function neighbourKeptOut(tag: string, family: string, aNumber: string) {
  const records = await ingestGroup(tag, family, aNumber);
  const { R, S, T, X } = records;
  await linkage.decidePair(operator, R, S, { decision: "must_link", reason: "same man" });
  await linkage.decidePair(operator, S, T, { decision: "must_link", reason: "same man" });
  await linkage.decidePair(operator, R, X, { decision: "cannot_link", reason: "X is his brother" });
  const P = await personOf(R);
  const N = await personOf(X);
  expect(await personOf(S)).toBe(P);
  expect(await personOf(T)).toBe(P);
  expect(N).not.toBe(P);
  await assign(P, "NYC");
  await assign(N, "LAX");
  return { ...records, P, N };
}

beforeAll(async () => {
  database = await createTestDatabase();
  ({ access, operator, close: closeAccess } = operatorAccess(database));
  linkage = createLinkageService({ store: database });
  const files = await writeSynthFiles(250, "linkage-retirements");
  await ingestSynthFiles(database, files);
  removeSynthFiles(files);
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: "linkage retirements test",
    maxDelayMs: 1,
  });
});
afterAll(async () => {
  await ingestor.close();
  await closeAccess();
  await database.drop();
});

describe("the answer to a change of links that retires a person", () => {
  it("a must-link that merges two persons names the retired one and its successor, withholding nothing", async () => {
    // Two records nothing links (another name, another birth date, no identifier), one person each.
    await ingest("encounter", {
      family_name: "Vauquelin",
      given_names: "Augustin",
      date_of_birth: "1979-08-14",
      sex: "M",
      encounter_id: "EN-MERGE-L",
      encounter_type: "interior_arrest",
      event_date: "2023-02-01",
    });
    await ingest("encounter", {
      family_name: "Okonkwo",
      given_names: "Chidi",
      date_of_birth: "1990-01-01",
      sex: "M",
      encounter_id: "EN-MERGE-R",
      encounter_type: "border_apprehension",
      event_date: "2023-02-02",
    });
    await linkIncrementally();
    const [R, S] = ["encounter:EN-MERGE-L", "encounter:EN-MERGE-R"];
    const [left, right] = [await personOf(R), await personOf(S)];
    expect(left).not.toBe(right);
    // An office supervisor whose office holds both cases may read both persons' links.
    await assign(left, "NYC");
    await assign(right, "NYC");
    const merged = await linkage.decidePair(as(SUPERVISOR_NYC), R, S, {
      decision: "must_link",
      reason: "same man: photos in the A-file",
    });
    const survivor = merged.persons[R]!;
    expect([left, right]).toContain(survivor);
    expect(merged.persons[S]).toBe(survivor);
    const gone = survivor === left ? right : left;
    expect(merged.retired).toEqual([
      expect.objectContaining({ personId: gone, successorPersonId: survivor }),
    ]);
    expect(merged.personsWithheld).toBe(0);
  });

  it("an unlink that retires a neighbour names it to the local operator, withholding nothing", async () => {
    const { R, P, N } = await neighbourKeptOut("OPUNLINK", "Quesnoy", "A066600022");
    const result = await linkage.unlinkRecord(operator, R, { reason: "the arrest was his brother's" });
    expect(result.retired).toEqual([
      { personId: N, successorPersonId: P, reason: "its records were re-formed" },
    ]);
    expect(result.personsWithheld).toBe(0);
    expect(result.persons[R]).not.toBe("withheld");
  });

  it("an unlink that retires a person the reader may not read counts it as withheld and never names it", async () => {
    const { R, X, P, N } = await neighbourKeptOut("SUPUNLINK", "Quintavalle", "A066600033");
    const result = await linkage.unlinkRecord(as(SUPERVISOR_NYC), R, {
      reason: "the arrest was his brother's",
    });
    // X went to P (NYC); N was LAX's; R stands alone in a new person no office holds.
    expect(await personOf(X)).toBe(P);
    expect(result.retired).toEqual([]);
    expect(result.personsChanged).toEqual([P]);
    expect(result.persons[R]).toBe("withheld");
    expect(result.personsWithheld).toBe(2);
    expect(JSON.stringify(result)).not.toContain(N);
    // The operator, asking afterwards where N went, learns it (the retirement was real).
    const retired = await database.pool.query(
      "SELECT successor_person_id FROM linkage_person_retirement WHERE person_id = $1",
      [N],
    );
    expect(retired.rows).toEqual([{ successor_person_id: P }]);
  });
});
