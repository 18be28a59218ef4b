import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { type BatchLinkResult, linkBatch } from "../link-batch.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { WorkerLinkageHelper } from "../threads/worker-linkage-helper.ts";
import { flattenBlocks, unflattenBlocks } from "./flat-blocks.ts";
import { createInProcessHelper, linkBatchInParallel } from "./link-batch-in-parallel.ts";
import { packLinkageRecords, unpackLinkageRecords } from "./pack-records.ts";

const TRAINING = { randomPairs: 40_000, pairsPerSession: 20_000 };
const population = synthesiseFeedPopulation({ persons: 500, seed: 21 });
const sequential = linkBatch(FEED_LINKAGE_SETTINGS, population.records, { training: TRAINING });

function expectSameLinkage(parallel: BatchLinkResult, expected: BatchLinkResult): void {
  expect(parallel.model).toEqual(expected.model);
  expect(parallel.pairs.count).toBe(expected.pairs.count);
  expect(Array.from(parallel.pairs.left)).toEqual(Array.from(expected.pairs.left));
  expect(Array.from(parallel.pairs.right)).toEqual(Array.from(expected.pairs.right));
  expect(Array.from(parallel.pairs.weight)).toEqual(Array.from(expected.pairs.weight));
  expect(Array.from(parallel.pairs.band)).toEqual(Array.from(expected.pairs.band));
  expect(Array.from(parallel.clustering.clusterOf)).toEqual(Array.from(expected.clustering.clusterOf));
  expect(parallel.clustering.review).toEqual(expected.clustering.review);
}

describe("batch linking with a helper", () => {
  it("gives the same model, scores and clusters as linking on one thread", async () => {
    const parallel = await linkBatchInParallel(FEED_LINKAGE_SETTINGS, population.records, {
      training: TRAINING,
      helper: createInProcessHelper(),
      helperShare: 0.37,
    });
    expectSameLinkage(parallel, sequential);
  });

  it("does the same with the helper on a worker thread, and with a given model", async () => {
    const helper = new WorkerLinkageHelper();
    try {
      const parallel = await linkBatchInParallel(FEED_LINKAGE_SETTINGS, population.records, {
        training: TRAINING,
        helper,
      });
      expectSameLinkage(parallel, sequential);
      const again = await linkBatchInParallel(FEED_LINKAGE_SETTINGS, population.records, {
        model: sequential.model,
        helper,
      });
      expect(Array.from(again.pairs.weight)).toEqual(Array.from(sequential.pairs.weight));
    } finally {
      await helper.close();
    }
  }, 60_000);

  it("refuses duplicate record ids before handing anything over", async () => {
    const records = [population.records[0]!, population.records[0]!];
    await expect(
      linkBatchInParallel(FEED_LINKAGE_SETTINGS, records, { helper: createInProcessHelper() }),
    ).rejects.toThrow(/appears more than once/);
  });
});

describe("handing records and blocks to another thread", () => {
  it("packs and unpacks the columns the settings read, values unchanged", () => {
    const value = fc.option(
      fc.string({ maxLength: 12 }).filter((text) => !text.includes("\u0000")),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, fc.integer({ min: 0, max: 1 })), { maxLength: 20 }),
        (rows) => {
          const records = rows.map(([family, dob, source], index) => ({
            id: `r${index}`,
            source,
            values: { family_name: family, date_of_birth: dob, ignored: "x" },
          }));
          const back = unpackLinkageRecords(packLinkageRecords(FEED_LINKAGE_SETTINGS, records));
          expect(back.map((record) => record.id)).toEqual(records.map((record) => record.id));
          back.forEach((record, index) => {
            expect(record.source).toBe(records[index]!.source);
            expect(record.values.family_name).toBe(records[index]!.values.family_name || undefined);
            expect(record.values.date_of_birth).toBe(records[index]!.values.date_of_birth || undefined);
            expect(record.values.ignored).toBeUndefined();
          });
        },
      ),
    );
  });

  it("refuses a value holding the separator", () => {
    expect(() =>
      packLinkageRecords(FEED_LINKAGE_SETTINGS, [{ id: "a", values: { family_name: "x\u0000y" } }]),
    ).toThrow(/family_name/);
  });

  it("flattens blocks and gives them back", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(1000), { maxLength: 6 }), { maxLength: 30 }), (blocks) => {
        expect(unflattenBlocks(flattenBlocks(blocks))).toEqual(blocks);
      }),
    );
  });
});
