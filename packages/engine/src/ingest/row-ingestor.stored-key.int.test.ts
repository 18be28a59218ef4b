import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor, type RowIngestor, type StoredKeyAdmission } from "./row-ingestor.ts";

let database: TestDatabase;
let ingestor: RowIngestor;
beforeAll(async () => {
  database = await createTestDatabase();
  // A long delay, so that rows sent together are one batch (committed by flush).
  ingestor = createRowIngestor({ pool: database.pool, sourceName: "test:stream", maxDelayMs: 60_000 });
});
afterAll(async () => {
  await ingestor.close();
  await database.drop();
});

const benefit = (receipt: string, formType: string, event = "filed") => ({
  receipt_number: receipt,
  event,
  form_type: formType,
  event_date: "2024-03-01",
  family_name: "TEST",
});

const REFUSAL = { field: "(row)", reason: "a confidential record is stored under the key" };
const refusingFlagged = (): StoredKeyAdmission => (flags) => (flags.length > 0 ? REFUSAL : undefined);

describe("row ingestor: the caller's check of what is stored under a row's key", () => {
  it("is given the flags of every version under the key value, and its refusal writes nothing", async () => {
    await Promise.all([ingestor.ingest("benefit", benefit("EAC1000000001", "I-360")), ingestor.flush()]);
    // Version 2 is not confidential; version 1 was, and still flags the key.
    await Promise.all([ingestor.ingest("benefit", benefit("EAC1000000001", "I-485")), ingestor.flush()]);
    const seen: (readonly string[])[] = [];
    const check: StoredKeyAdmission = (flags) => {
      seen.push(flags);
      return flags.length > 0 ? REFUSAL : undefined;
    };
    const [sameRecord, otherEvent, elsewhere] = await Promise.all([
      ingestor.ingest("benefit", benefit("EAC1000000001", "I-485", "approved"), { admitStored: check }),
      ingestor.ingest("benefit", benefit("EAC1000000001", "I-485", "denied"), { admitStored: check }),
      ingestor.ingest("benefit", benefit("EAC1000000002", "I-485"), { admitStored: check }),
      ingestor.flush(),
    ]);
    expect(sameRecord).toEqual({ outcome: "rejected", feed: "benefit", issues: [REFUSAL] });
    expect(otherEvent).toEqual({ outcome: "rejected", feed: "benefit", issues: [REFUSAL] });
    expect(elsewhere).toMatchObject({ outcome: "new", version: 1 });
    expect(seen).toEqual([["vawa1367"], ["vawa1367"], []]);
    const stored = await findRecordVersions(database.db, "benefit", "EAC1000000001");
    expect(stored.map((record) => record.version)).toEqual([1, 2]);
  });

  it("sees a confidential record queued just before in the same batch by another caller", async () => {
    const [confidential, checked] = await Promise.all([
      ingestor.ingest("benefit", benefit("EAC1000000003", "I-918")),
      ingestor.ingest("benefit", benefit("EAC1000000003", "I-485"), { admitStored: refusingFlagged() }),
      ingestor.flush(),
    ]);
    expect(confidential).toMatchObject({ outcome: "new", version: 1 });
    expect(checked).toEqual({ outcome: "rejected", feed: "benefit", issues: [REFUSAL] });
    const stored = await findRecordVersions(database.db, "benefit", "EAC1000000003");
    expect(stored.map((record) => record.fields.form_type)).toEqual(["I-918"]);
  });

  it("writes the rows it admits, the caller's rows under one key together", async () => {
    const batches = async () =>
      Number((await database.pool.query<{ n: string }>("SELECT count(*) AS n FROM ingest_batch")).rows[0]!.n);
    const before = await batches();
    const check = refusingFlagged();
    const results = await Promise.all([
      ingestor.ingest("benefit", benefit("EAC1000000004", "I-485"), { admitStored: check }),
      ingestor.ingest("benefit", benefit("EAC1000000004", "I-485", "approved"), { admitStored: check }),
      ingestor.ingest("benefit", benefit("EAC1000000005", "I-539")),
      ingestor.flush(),
    ]);
    expect(results.slice(0, 3).map((result) => result?.outcome)).toEqual(["new", "new", "new"]);
    // One write: one caller's rows under one key are not split into two batches.
    expect((await batches()) - before).toBe(1);
  });
});
