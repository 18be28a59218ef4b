import fs from "node:fs";
import path from "node:path";
import type { Access, Actor } from "@passage/access";
import { executeSql, findPersonStatus, findRecordVersions, setCaseAssignment } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../ingest/ingest-file.ts";
import type { RowIngestor } from "../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../lifecycle/lifecycle-service.ts";
import { dayFrom, removalCaseRows } from "../worklist/testing/removal-cases.ts";
import { createLifecycleBed, type LifecycleBed } from "../worklist/testing/test-bed.ts";
import { createRedressService, type RedressService } from "./redress-service.ts";

/**
 * A redress correction survives the source re-sending what it corrected (engine ingest README,
 * "Redress corrections and re-sent sources"): the re-sent rows are held (unchanged, counted as
 * `heldByRedress`), from a file or a stream; new content from the source supersedes the correction
 * and the request's history says so (`source_superseded`).
 */

const AS_OF = todayUtc();
const PERSON = "P-RESEND";
const STEWARD: Actor = {
  kind: "user",
  id: "steward",
  roles: ["data_steward"],
  office: "HQ",
  confidentialityNeeds: [],
  country: "",
};

let bed: LifecycleBed;
let database: TestDatabase;
let directory: string;
let access: Access;
let lifecycle: LifecycleService;
let redress: RedressService;
let ingestor: RowIngestor;

const steward = () => access.forRequest({ actor: STEWARD, purpose: "test", requestId: "redress-resend" });
// A supervisor of the office without the need for 8 U.S.C. 1367 matters: files, and reads back as filer.
const SUPERVISOR: Actor = { ...STEWARD, id: "supervisor", roles: ["supervisor"] };
const supervisor = () =>
  access.forRequest({ actor: SUPERVISOR, purpose: "test", requestId: "redress-resend-filer" });
const STEWARD_WITH_NEED: Actor = { ...STEWARD, id: "steward-1367", confidentialityNeeds: ["vawa1367"] };
const stewardWithNeed = () =>
  access.forRequest({ actor: STEWARD_WITH_NEED, purpose: "test", requestId: "redress-resend-1367" });

type Row = Record<string, string>;
const rows = removalCaseRows({ number: 71, asOf: AS_OF });
const courtRows = rows.filter(([feed]) => feed === "court").map(([, row]) => row);
// The removal order the person disputes: wrongly recorded, corrected by redress to a termination.
const wrongOrder = courtRows.find((row) => row.court_event_id === "CE-71-2")!;
const correctedOrder: Row = {
  ...wrongOrder,
  outcome: "terminated",
  notice_served: "Y",
  destination_country: "",
};

/** A CSV file of court rows (every row with the columns of the first). */
function courtFile(name: string, fileRows: readonly Row[]): string {
  const columns = [...new Set(fileRows.flatMap((row) => Object.keys(row)))];
  const file = path.join(directory, name);
  const lines = fileRows.map((row) => columns.map((column) => row[column] ?? "").join(","));
  fs.writeFileSync(file, `${[columns.join(","), ...lines].join("\n")}\n`);
  return file;
}

const ingestCourt = (file: string, batchSize = 2) =>
  ingestFile({ pool: database.pool, feed: "court", file, batchSize });

async function versionsOf(key: string) {
  return findRecordVersions(database.db, "court", key);
}

async function statusNow() {
  await database.db
    .transaction()
    .execute((transaction) => lifecycle.derivePersons(transaction, [PERSON], AS_OF));
  const status = await findPersonStatus(database.db, PERSON);
  return {
    primaryState: status?.primaryState,
    finalOrderExecutable: status?.finalOrderExecutable,
    actionable: status?.actionable,
  };
}

async function correctionEvents(): Promise<number> {
  const { rows: counted } = await database.pool.query<{ events: number }>(
    "SELECT count(*)::integer AS events FROM outbox_event WHERE event_type = 'RecordsCorrected'",
  );
  return counted[0]!.events;
}

let originalFile: string;
let requestId: string;
let correctedVersion: number;
let statusAfterRedress: Awaited<ReturnType<typeof statusNow>>;

beforeAll(async () => {
  bed = await createLifecycleBed({ name: "redress-resend", sourceName: "resend test stream" });
  ({ database, dataDir: directory, ingestor, lifecycle, access } = bed);
  redress = createRedressService({ store: database });

  // The agency's nightly extract: the court rows of the person and another person's row.
  const other: Row = { ...courtRows[0]!, court_event_id: "CE-72-1", case_id: "C-72", a_number: "A200000072" };
  originalFile = courtFile("court-extract.csv", [...courtRows, other]);
  expect(await ingestCourt(originalFile)).toMatchObject({ new: 3 });
  for (const [feed, row] of rows.filter(([feed]) => feed !== "court")) {
    expect((await ingestor.ingest(feed, row)).outcome).toBe("new");
  }
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [PERSON]);
  const keys: Record<string, string> = {
    admission: "i94_number",
    court: "court_event_id",
  };
  for (const [feed, row] of rows) {
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ($1, $2, $3)",
      [feed, row[keys[feed]!]!, PERSON],
    );
  }
  await setCaseAssignment(database.db, { personId: PERSON, office: "HQ", assignees: [], updatedBy: "test" });
  const beforeRedress = await statusNow();
  expect(beforeRedress.finalOrderExecutable).toBe(true);

  const filed = await redress.file(supervisor(), {
    personId: PERSON,
    kind: "not_my_record",
    statement: "The removal order was recorded against the wrong case: the case was terminated.",
    disputedRecords: ["court:CE-71-2"],
  });
  requestId = filed.request.requestId;
  const resolved = await redress.resolve(steward(), requestId, {
    outcome: "granted",
    reason: "The court's docket shows the case terminated.",
    corrections: [{ feed: "court", row: correctedOrder }],
  });
  correctedVersion = resolved.written[0]!.version;
  expect(resolved.written[0]).toMatchObject({ outcome: "corrected", version: 2 });
  statusAfterRedress = await statusNow();
  expect(statusAfterRedress.finalOrderExecutable).toBe(false);
  expect(statusAfterRedress).not.toEqual(beforeRedress);
});

afterAll(() => bed?.close());

describe("a redress correction and a re-sent source", () => {
  it("keeps the correction current when the original file is re-sent unchanged, naming the held row", async () => {
    const eventsBefore = await correctionEvents();
    // The same file again (batches whose digest is committed, re-checked row by row since a
    // version was written since), a byte-identical copy, and the whole file in one batch.
    const copy = path.join(directory, "court-extract-copy.csv");
    fs.copyFileSync(originalFile, copy);
    for (const [file, batchSize] of [
      [originalFile, 2],
      [copy, 2],
      [originalFile, 5000],
    ] as const) {
      expect(await ingestCourt(file, batchSize)).toMatchObject({
        read: 3,
        new: 0,
        corrected: 0,
        unchanged: 3,
        heldByRedress: 1,
      });
    }
    const versions = await versionsOf("CE-71-2");
    expect(versions.map((version) => version.fields.outcome)).toEqual(["removal_ordered", "terminated"]);
    expect(versions.at(-1)).toMatchObject({ version: correctedVersion, sourceName: `redress:${requestId}` });
    expect(await correctionEvents()).toBe(eventsBefore);
    expect(await statusNow()).toEqual(statusAfterRedress);
  });

  it("holds a stream re-sending the corrected row too", async () => {
    const result = await ingestor.ingest("court", wrongOrder);
    expect(result).toMatchObject({ outcome: "unchanged", version: correctedVersion, heldByRedress: true });
    // A row equal to the correction itself is plainly unchanged.
    const same = await ingestor.ingest("court", correctedOrder);
    expect(same).toMatchObject({ outcome: "unchanged", version: correctedVersion });
    expect(same).not.toHaveProperty("heldByRedress");
    expect((await versionsOf("CE-71-2")).length).toBe(2);
    expect(await statusNow()).toEqual(statusAfterRedress);
  });

  it("holds every re-send of the corrected row in a batch holding the key more than once", async () => {
    const twice = courtFile("court-twice.csv", [wrongOrder, correctedOrder, wrongOrder]);
    expect(await ingestCourt(twice, 5000)).toMatchObject({
      read: 3,
      new: 0,
      corrected: 0,
      unchanged: 3,
      heldByRedress: 2,
    });
    expect((await versionsOf("CE-71-2")).length).toBe(2);
    expect(await statusNow()).toEqual(statusAfterRedress);
  });

  it("lets new content from the source supersede the correction, and tells the request", async () => {
    const appealed: Row = { ...wrongOrder, deadline: dayFrom(AS_OF, -250) };
    const newer = courtFile("court-newer.csv", [appealed]);
    expect(await ingestCourt(newer)).toMatchObject({ corrected: 1, unchanged: 0, heldByRedress: 0 });
    const versions = await versionsOf("CE-71-2");
    expect(versions.at(-1)).toMatchObject({ version: correctedVersion + 1, sourceKind: "file" });
    expect(versions.at(-1)!.fields.deadline).toBe(appealed.deadline);

    const shown = await redress.show(steward(), requestId);
    const superseded = shown.events.filter((event) => event.step === "source_superseded");
    expect(superseded).toHaveLength(1);
    expect(superseded[0]!.details).toMatchObject({
      record: "court:CE-71-2",
      correctedVersion,
      version: correctedVersion + 1,
      sourceKind: "file",
      source: path.resolve(newer),
    });
    expect(superseded[0]!.actor).toBe("ingest:file");

    // The correction no longer holds: the key is the source's again, and a re-send of the
    // original is a correction as any other (SOURCES.md).
    expect(await ingestCourt(originalFile)).toMatchObject({ corrected: 1, heldByRedress: 0 });
    expect((await versionsOf("CE-71-2")).at(-1)!.fields.outcome).toBe("removal_ordered");
    expect((await redress.show(steward(), requestId)).events.map((event) => event.step)).toEqual([
      "filed",
      "review_started",
      "resolved",
      "source_superseded",
    ]);
  });
});

describe("a superseded correction of a confidential record", () => {
  it("is in the history for readers with the need, and left out of the filer's read-back without it", async () => {
    const personId = "P-VAWA";
    const benefit: Row = {
      family_name: "Vasquez",
      given_names: "Lucia",
      date_of_birth: "1990-01-02",
      a_number: "A077700033",
      receipt_number: "EAC2290088002",
      form_type: "I-918",
      event: "filed",
      event_date: "2021-06-07",
    };
    expect((await ingestor.ingest("benefit", benefit)).outcome).toBe("new");
    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [personId]);
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('benefit', $1, $2)",
      [benefit.receipt_number, personId],
    );
    await setCaseAssignment(database.db, { personId, office: "HQ", assignees: [], updatedBy: "test" });
    const filed = await redress.file(supervisor(), {
      personId,
      kind: "other",
      statement: "my record is wrong",
    });
    const id = filed.request.requestId;
    await redress.resolve(stewardWithNeed(), id, {
      outcome: "granted",
      reason: "The filing date was keyed wrong.",
      corrections: [{ feed: "benefit", row: { ...benefit, event_date: "2021-06-17" } }],
    });
    // The agency re-sends the wrong date (held), then a new date (supersedes the correction).
    expect(await ingestor.ingest("benefit", benefit)).toMatchObject({ heldByRedress: true });
    expect(await ingestor.ingest("benefit", { ...benefit, event_date: "2021-06-18" })).toMatchObject({
      outcome: "corrected",
      version: 3,
    });

    const steps = async (reader: ReturnType<typeof steward>) =>
      (await redress.show(reader, id)).events.map((event) => event.step);
    expect(await steps(stewardWithNeed())).toEqual([
      "filed",
      "review_started",
      "resolved",
      "source_superseded",
    ]);
    expect(await steps(supervisor())).toEqual(["filed", "review_started", "resolved"]);
    // The correction itself (of a benefit record, whose key has two parts: receipt and event) is
    // left out of the filer's read-back too, in the request and in its history.
    expect(JSON.stringify(await redress.show(stewardWithNeed(), id))).toContain(benefit.receipt_number);
    expect(JSON.stringify(await redress.show(supervisor(), id))).not.toContain(benefit.receipt_number);
  });
});
