import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestBatchBuilder } from "../testing/record-writer.ts";
import { executeSql } from "./outbox-repository.ts";
import { findRecordVersions } from "./record-queries.ts";
import { type RecordBatch, writeRecordBatch } from "./record-repository.ts";
import { canonicalFieldsJson, contentHashOf } from "./record-staging.ts";
import { insertRedressRequest, listRedressEvents, writeCorrectionRecords } from "./redress-repository.ts";

/**
 * Source rows against redress corrections (engine ingest README, "Redress corrections and re-sent
 * sources"): a key whose latest version a resolution wrote keeps it against rows re-sending an
 * earlier content of the key (unchanged, `heldByRedress`); other content supersedes it as any
 * correction does, and the request's history gets a `source_superseded` event.
 */

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-TEST')");
});
afterAll(async () => {
  await database.drop();
});

const FEED = "travel_document";
const testBatch = createTestBatchBuilder();

/** A file batch (without a chain: compared row by row) of `[key, n]` rows. */
function batchOf(rows: ReadonlyArray<readonly [string, number]>): RecordBatch {
  return testBatch(
    FEED,
    rows.map(([key, n]) => ({ key, fields: { td_id: key, n } })),
  );
}

async function outcomesOf(batch: RecordBatch): Promise<string[]> {
  const result = await writeRecordBatch(database.pool, batch);
  if (result.status !== "written") throw new Error("expected the batch to be written");
  return result.outcomes.map(
    (outcome) => `${outcome.kind}@${outcome.version}${outcome.heldByRedress ? " held" : ""}`,
  );
}

/** Files a request and writes its correction `{td_id: key, n}` as a redress resolution does. */
async function correct(key: string, n: number): Promise<{ requestId: string; outcome: string }> {
  const requestId = `RR-TEST-${randomUUID()}`;
  const fieldsJson = canonicalFieldsJson({ td_id: key, n });
  const written = await database.db.transaction().execute(async (transaction) => {
    await insertRedressRequest(transaction, {
      requestId,
      personId: "P-TEST",
      kind: "other",
      statement: "test",
      departureDate: null,
      disputedRecords: [],
      documents: [],
      filedBy: "user:test",
      claimId: null,
    });
    return writeCorrectionRecords(transaction, requestId, "P-TEST", [
      {
        feed: FEED,
        recordKey: key,
        keyValue: key,
        fieldsJson,
        contentHash: contentHashOf(fieldsJson),
        raw: { td_id: key, n },
        warnings: [],
      },
    ]);
  });
  return { requestId, outcome: `${written[0]!.outcome}@${written[0]!.version}` };
}

async function supersededEvents(requestId: string) {
  return (await listRedressEvents(database.db, requestId)).filter(
    (event) => event.step === "source_superseded",
  );
}

describe("source rows against redress corrections", () => {
  it("holds re-sends of corrected content, on both versioning statements, and supersedes on new content", async () => {
    expect(await outcomesOf(batchOf([["H1", 1]]))).toEqual(["new@1"]);
    expect(await outcomesOf(batchOf([["H1", 2]]))).toEqual(["corrected@2"]);
    const { requestId } = await correct("H1", 3);
    // Each earlier content is held; the correction's own content is plainly unchanged.
    expect(await outcomesOf(batchOf([["H1", 1]]))).toEqual(["unchanged@3 held"]);
    expect(await outcomesOf(batchOf([["H1", 2]]))).toEqual(["unchanged@3 held"]);
    expect(await outcomesOf(batchOf([["H1", 3]]))).toEqual(["unchanged@3"]);
    // The key twice in a batch: held until the first row of new content, versioned from there.
    expect(
      await outcomesOf(
        batchOf([
          ["H1", 2],
          ["H1", 3],
          ["H1", 1],
          ["H1", 4],
          ["H1", 1],
        ]),
      ),
    ).toEqual(["unchanged@3 held", "unchanged@3", "unchanged@3 held", "corrected@4", "corrected@5"]);
    const superseded = await supersededEvents(requestId);
    expect(superseded).toHaveLength(1);
    expect(superseded[0]).toMatchObject({
      actor: "ingest:file",
      details: { record: `${FEED}:H1`, recordKey: "H1", correctedVersion: 3, version: 4, sourceKind: "file" },
    });
    // The source's again: no longer held.
    expect(await outcomesOf(batchOf([["H1", 3]]))).toEqual(["corrected@6"]);
  });

  it("versions exactly like a model of the rule, with corrections between batches (property)", async () => {
    const keys = ["K1", "K2", "K3"] as const;
    const rowArbitrary = fc.tuple(fc.constantFrom(...keys), fc.integer({ min: 1, max: 4 }));
    const stepArbitrary = fc.oneof(
      fc.record({ batch: fc.array(rowArbitrary, { minLength: 1, maxLength: 6 }) }),
      fc.record({ correction: rowArbitrary }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), async (steps) => {
        const prefix = `R${++run}-`;
        // Per key: the content of every version, and the request whose correction is the latest.
        const model = new Map<string, { contents: number[]; redressRequest: string | undefined }>();
        const expectedEvents = new Map<string, number>();
        for (const step of steps) {
          if ("correction" in step) {
            const [key, n] = step.correction;
            const state = model.get(prefix + key) ?? { contents: [], redressRequest: undefined };
            const { requestId, outcome } = await correct(prefix + key, n);
            expectedEvents.set(requestId, 0);
            if (state.contents.at(-1) === n) {
              expect(outcome).toBe(`unchanged@${state.contents.length}`);
            } else {
              // Replacing another request's correction tells that request.
              if (state.redressRequest !== undefined) {
                expectedEvents.set(state.redressRequest, expectedEvents.get(state.redressRequest)! + 1);
              }
              state.contents.push(n);
              state.redressRequest = requestId;
              expect(outcome).toBe(
                `${state.contents.length === 1 ? "new" : "corrected"}@${state.contents.length}`,
              );
            }
            model.set(prefix + key, state);
            continue;
          }
          const expected = step.batch.map(([key, n]) => {
            const state = model.get(prefix + key) ?? { contents: [], redressRequest: undefined };
            model.set(prefix + key, state);
            const version = state.contents.length;
            if (state.contents.at(-1) === n) return `unchanged@${version}`;
            if (state.redressRequest !== undefined && state.contents.slice(0, -1).includes(n)) {
              return `unchanged@${version} held`;
            }
            if (state.redressRequest !== undefined) {
              expectedEvents.set(state.redressRequest, expectedEvents.get(state.redressRequest)! + 1);
              state.redressRequest = undefined;
            }
            state.contents.push(n);
            return `${version === 0 ? "new" : "corrected"}@${version + 1}`;
          });
          expect(await outcomesOf(batchOf(step.batch.map(([key, n]) => [prefix + key, n] as const)))).toEqual(
            expected,
          );
        }
        for (const [key, state] of model) {
          const versions = await findRecordVersions(database.db, FEED, key);
          expect(versions.map((version) => version.fields.n)).toEqual(state.contents);
        }
        for (const [requestId, count] of expectedEvents) {
          expect(await supersededEvents(requestId)).toHaveLength(count);
        }
      }),
      { numRuns: process.env.PASSAGE_SOAK === "1" ? 200 : 15 },
    );
  });

  it("counts held rows on the batch row, so a re-sent file batch that held rows is never skipped", async () => {
    expect(await outcomesOf(batchOf([["S1", 1]]))).toEqual(["new@1"]);
    await correct("S1", 2);
    const chainHash = Buffer.from(randomUUID());
    const resend = () => ({ ...batchOf([["S1", 1]]), chainHash, batchId: randomUUID() });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(await writeRecordBatch(database.pool, resend())).toMatchObject({
        status: "written",
        outcomes: [{ kind: "unchanged", version: 2, heldByRedress: true }],
      });
    }
    const { 0: batchRow } = await executeSql<{ held: number }>(
      database.db,
      "SELECT held_by_redress AS held FROM ingest_batch WHERE chain_hash = $1 LIMIT 1",
      [chainHash],
    );
    expect(batchRow).toEqual({ held: 1 });
  });

  it("lists a request's history in the order it happened, past a sequence of more digits", async () => {
    const { requestId } = await correct("S-ORDER", 1);
    // Sequences are global: a request's next events may come after another digit (99999, 100000).
    for (const sequence of [99_999, 100_000, 100_001]) {
      await executeSql(
        database.db,
        "INSERT INTO redress_event (sequence, request_id, actor, step) VALUES ($1, $2, 'user:test', 'review_started')",
        [sequence, requestId],
      );
    }
    const sequences = (await listRedressEvents(database.db, requestId)).map((event) =>
      BigInt(event.sequence),
    );
    expect(sequences.slice(-3)).toEqual([99_999n, 100_000n, 100_001n]);
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("tells a request whose correction another request's correction replaced, as a source row would", async () => {
    const first = await correct("S-TWICE", 1);
    const second = await correct("S-TWICE", 2);
    expect(second.outcome).toBe("corrected@2");
    expect((await supersededEvents(first.requestId)).map((event) => [event.actor, event.details])).toEqual([
      [
        `redress:${second.requestId}`,
        expect.objectContaining({
          record: `${FEED}:S-TWICE`,
          correctedVersion: 1,
          version: 2,
          sourceKind: "redress",
          source: `redress:${second.requestId}`,
        }),
      ],
    ]);
    // The same content again changes nothing, and a request's own record is not news to it.
    const third = await correct("S-TWICE", 2);
    expect(third.outcome).toBe("unchanged@2");
    expect(await supersededEvents(second.requestId)).toEqual([]);
  });
});
