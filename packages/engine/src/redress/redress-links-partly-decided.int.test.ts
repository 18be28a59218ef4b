import type { AuditedAccess } from "@passage/access";
import { findRedressRequest, listRedressEvents } from "@passage/store";
import type { TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import type { LinkageService } from "../linkage/linkage-service.ts";
import {
  createLinkageTestBed,
  type LinkageTestBed,
  membershipOf,
  TEST_TRAINING,
} from "../linkage/testing/linkage-population.ts";
import { createRedressService } from "./redress-service.ts";

/**
 * A resolution's link decisions commit one by one (linkage's service): one refused after others
 * were taken (PASSAGE_ERR_REDRESS_LINKS_PARTLY_DECIDED) leaves those standing and the request
 * open, and the request's history says which stand, which was refused and why.
 */

let bed: LinkageTestBed;
let database: TestDatabase;
let operator: AuditedAccess;
let linkage: LinkageService;

const RECORDS = ["court:CE-PD-1", "court:CE-PD-2", "court:CE-PD-3", "court:CE-PD-4"] as const;

beforeAll(async () => {
  bed = await createLinkageTestBed(200, "redress-partly-decided");
  ({ database, operator, linkage } = bed);
  const ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: "partly decided test",
    maxDelayMs: 1,
  });
  for (const [index, record] of RECORDS.entries()) {
    const outcome = await ingestor.ingest("court", {
      family_name: "Partida-Decidida",
      given_names: "Ramona",
      date_of_birth: "1979-03-14",
      a_number: "A098765433",
      court_event_id: record.slice("court:".length),
      case_id: "C-PD",
      case_type: "RMV",
      event_type: "hearing",
      event_date: `2024-0${index + 1}-10`,
    });
    if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
  }
  await ingestor.close();
  await linkage.linkAll(operator, { training: TEST_TRAINING });
  // Must-links join 1 to 3 through 2: a cannot-link of 1 and 3 is refused once it is asked.
  for (const [left, right] of [
    [RECORDS[0], RECORDS[1]],
    [RECORDS[1], RECORDS[2]],
  ] as const) {
    await linkage.decidePair(operator, left, right, { decision: "must_link", reason: "same person (test)" });
  }
});

afterAll(async () => {
  await bed?.close();
});

describe("a resolution refused after some link decisions were taken", () => {
  it("keeps the request open and records in its history what stands and what was refused", async () => {
    const members = await membershipOf(database);
    const personId = members.get(RECORDS[0])!;
    for (const record of RECORDS) expect(members.get(record)).toBe(personId);
    const redress = createRedressService({ store: database, linkage });
    const filed = await redress.file(operator, {
      personId,
      kind: "not_my_record",
      statement: "the fourth hearing is not mine",
      disputedRecords: [RECORDS[3]],
    });
    const requestId = filed.request.requestId;
    await expect(
      redress.resolve(operator, requestId, {
        outcome: "granted",
        reason: "checked against the file (test)",
        unlinks: [RECORDS[3]],
        cannotLink: [{ left: RECORDS[0], right: RECORDS[2] }],
      }),
    ).rejects.toMatchObject({ code: "PASSAGE_ERR_REDRESS_LINKS_PARTLY_DECIDED" });

    // The unlink stands; the request is still open.
    expect((await membershipOf(database)).get(RECORDS[3])).not.toBe(personId);
    expect((await findRedressRequest(database.db, requestId))?.status).not.toBe("resolved");
    const events = await listRedressEvents(database.db, requestId);
    expect(events.map((event) => event.step)).toEqual(["filed", "links_partly_decided"]);
    expect(events[1]!.details).toMatchObject({
      reason: "checked against the file (test)",
      taken: [{ record: RECORDS[3], outcome: "unlinked" }],
      refused: { record: `${RECORDS[0]} ~ ${RECORDS[2]}`, outcome: "cannot_link" },
      problem: expect.stringContaining("must-link"),
    });
    // And as the request is shown.
    const shown = await redress.show(operator, requestId);
    expect(shown.events.map((event) => event.step)).toContain("links_partly_decided");
  });
});
