import { isPassageError } from "@passage/core";
import { findRecordVersions } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRowIngestor, type RowIngestor } from "./row-ingestor.ts";

let database: TestDatabase;
let ingestor: RowIngestor;
beforeAll(async () => {
  database = await createTestDatabase();
  ingestor = createRowIngestor({
    pool: database.pool,
    sourceName: "test:stream",
    maxBatchRows: 50,
    maxDelayMs: 20,
  });
});
afterAll(async () => {
  await ingestor.close();
  await database.drop();
});

const departure = (id: string, mode = "air") => ({
  departure_id: id,
  departure_date: "2024-05-01",
  mode,
  evidence: "carrier_manifest",
  reported_at: "2024-05-01T10:00:00Z",
});

async function batchCount(): Promise<number> {
  const { rows } = await database.pool.query<{ count: number }>(
    "SELECT count(*)::integer AS count FROM ingest_batch WHERE source_kind = 'stream'",
  );
  return rows[0]!.count;
}

describe("row ingestor", () => {
  it("stores a single row and resolves only after its batch committed", async () => {
    const result = await ingestor.ingest("departure", departure("S-1"), { sourceRow: 7 });
    expect(result).toMatchObject({ outcome: "new", feed: "departure", keyValue: "S-1", version: 1 });
    const [stored] = await findRecordVersions(database.db, "departure", "S-1");
    expect(stored).toMatchObject({
      id: result.outcome === "new" ? result.recordId : "",
      sourceKind: "stream",
    });
    expect(stored!.sourceName).toBe("test:stream");
    expect(stored!.sourceRow).toBe(7);
    expect(await ingestor.ingest("departure", departure("S-1"))).toMatchObject({
      outcome: "unchanged",
      version: 1,
    });
    expect(await ingestor.ingest("departure", departure("S-1", "land"))).toMatchObject({
      outcome: "corrected",
      version: 2,
    });
  });

  it("groups rows that arrive together into few transactions (group commit)", async () => {
    const before = await batchCount();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) => ingestor.ingest("departure", departure(`G-${index}`))),
    );
    expect(results.every((result) => result.outcome === "new")).toBe(true);
    const batches = (await batchCount()) - before;
    expect(batches).toBeGreaterThanOrEqual(3); // at most 50 rows a batch
    expect(batches).toBeLessThan(10);
  });

  it("groups a steady trickle by its delay: rows arriving during a write wait for their own time", async () => {
    // A row every few milliseconds. Committed at once after each write (as before), they went in
    // transactions of a row or two, one per write's duration; each batch now waits until its first
    // row has waited maxDelayMs, so there is about one transaction per delay.
    const before = await batchCount();
    const started = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let index = 0; index < 60; index++) {
      pending.push(ingestor.ingest("departure", departure(`T-${index}`)));
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await Promise.all(pending);
    const elapsed = performance.now() - started;
    const batches = (await batchCount()) - before;
    // Measured against the elapsed time, not a fixed count: a slow machine sends more slowly.
    expect(batches).toBeLessThanOrEqual(Math.ceil(elapsed / 20) + 1);
  });

  it("flush commits rows at once, before their delay is up", async () => {
    const slow = createRowIngestor({ pool: database.pool, sourceName: "test:slow", maxDelayMs: 60_000 });
    const row = slow.ingest("departure", departure("FL-1"));
    await slow.flush();
    expect(await row).toMatchObject({ outcome: "new", keyValue: "FL-1" });
    await slow.close();
  });

  it("answers a rejected row with its issues and writes nothing", async () => {
    const result = await ingestor.ingest("departure", {
      ...departure("R-1"),
      mode: "teleport",
      reported_at: "",
    });
    expect(result).toEqual({
      outcome: "rejected",
      feed: "departure",
      issues: [
        { field: "mode", reason: expect.stringContaining('"teleport" is not one of') },
        { field: "reported_at", reason: "required field is missing" },
      ],
    });
    expect(await findRecordVersions(database.db, "departure", "R-1")).toEqual([]);
  });

  it("rejects a departure reported in the future (later than the row was received), and writes nothing", async () => {
    const result = await ingestor.ingest("departure", {
      ...departure("F-1"),
      departure_date: "2126-02-01",
      reported_at: "2126-02-01T10:00:00Z",
    });
    expect(result).toEqual({
      outcome: "rejected",
      feed: "departure",
      issues: [
        {
          field: "reported_at",
          reason: expect.stringMatching(
            /^2126-02-01T10:00:00\.000Z is after the row was received \(.*\): it is in the future$/,
          ),
        },
      ],
    });
    expect(await findRecordVersions(database.db, "departure", "F-1")).toEqual([]);
  });

  it("rejects a row nested past any feed's shape, and writes nothing of it", async () => {
    let notes: unknown = "deep";
    for (let level = 0; level < 100_000; level++) notes = { notes };
    const result = await ingestor.ingest("departure", { ...departure("N-1"), notes });
    expect(result).toEqual({
      outcome: "rejected",
      feed: "departure",
      issues: [{ field: "(row)", reason: expect.stringContaining("deeper than 32 levels") }],
    });
    expect(await findRecordVersions(database.db, "departure", "N-1")).toEqual([]);
  });

  it("refuses a row with a denylisted key and an unknown feed", async () => {
    const refused = await ingestor
      .ingest("departure", { ...departure("X-1"), device_id: "abc" })
      .catch((error) => error);
    expect(isPassageError(refused) && refused.code).toBe("PASSAGE_ERR_INGEST_REFUSED_COLUMN");
    const unknown = await ingestor.ingest("phones", departure("X-2")).catch((error) => error);
    expect(isPassageError(unknown) && unknown.code).toBe("PASSAGE_ERR_FEED_UNKNOWN");
    expect(await findRecordVersions(database.db, "departure", "X-1")).toEqual([]);
  });

  it("streams results of an async iterable back in input order", async () => {
    async function* rows() {
      for (let index = 0; index < 130; index++) {
        if (index % 40 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
        yield index === 5 ? { departure_id: "I-bad" } : departure(`I-${index}`);
      }
    }
    const outcomes: string[] = [];
    for await (const result of ingestor.ingestRows("departure", rows())) {
      outcomes.push(result.outcome === "rejected" ? "rejected" : `${result.keyValue}`);
    }
    expect(outcomes).toHaveLength(130);
    expect(outcomes[5]).toBe("rejected");
    expect(outcomes.filter((outcome, index) => index !== 5 && outcome !== `I-${index}`)).toEqual([]);
    const [stored] = await findRecordVersions(database.db, "departure", "I-129");
    expect(stored!.sourceRow).toBe(130);
  });

  it("rejects only the row the database refuses; the rows grouped with it commit", async () => {
    // A value that passes normalisation and that PostgreSQL refuses (as jsonb refused a lone UTF-16
    // surrogate): a test trigger refuses one key with the SQLSTATE of a data exception.
    await database.pool.query(`
      CREATE FUNCTION refuse_test_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.key_value = 'D-refused' THEN
          RAISE EXCEPTION 'invalid input syntax for type json' USING ERRCODE = '22P02',
            DETAIL = 'Unicode low surrogate must follow a high surrogate.';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_test_row BEFORE INSERT ON source_record
        FOR EACH ROW EXECUTE FUNCTION refuse_test_row();`);
    try {
      const before = await batchCount();
      const ids = Array.from({ length: 45 }, (_, index) => (index === 17 ? "D-refused" : `D-${index}`));
      const results = await Promise.all(ids.map((id) => ingestor.ingest("departure", departure(id))));
      expect(results[17]).toEqual({
        outcome: "rejected",
        feed: "departure",
        issues: [
          {
            field: "(row)",
            reason:
              "the database refused the row (SQLSTATE 22P02): invalid input syntax for type json " +
              "(Unicode low surrogate must follow a high surrogate.); nothing of it was stored",
          },
        ],
      });
      expect(results.filter((result) => result.outcome === "new")).toHaveLength(44);
      expect(await findRecordVersions(database.db, "departure", "D-refused")).toEqual([]);
      for (const id of ["D-0", "D-16", "D-18", "D-44"]) {
        expect(await findRecordVersions(database.db, "departure", id)).toHaveLength(1);
      }
      // One batch refused, then written again in halves: a few transactions, not one per row.
      expect((await batchCount()) - before).toBeLessThan(15);
    } finally {
      await database.pool.query(
        "DROP TRIGGER refuse_test_row ON source_record; DROP FUNCTION refuse_test_row()",
      );
    }
  });

  it("rejects every row of a batch that cannot commit", async () => {
    const pool = new pg.Pool({ connectionString: database.url });
    await pool.end(); // every transaction on this pool now fails
    const broken = createRowIngestor({ pool, sourceName: "test:broken", maxDelayMs: 1 });
    const results = await Promise.allSettled([
      broken.ingest("departure", departure("F-1")),
      broken.ingest("departure", departure("F-2")),
      broken.ingest("departure", { departure_id: "F-3" }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "fulfilled"]);
    expect(await findRecordVersions(database.db, "departure", "F-1")).toEqual([]);
  });
});
