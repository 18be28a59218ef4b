import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTampering, buildInMemoryAuditLog, TAMPERINGS } from "../audit/audit-tampering.ts";
import { verifyAuditLog } from "../audit/audit-verifier.ts";
import { WorkerMerkleAccumulator } from "./worker-merkle-accumulator.ts";

// Each trial starts a worker thread: a few dozen in the normal suite, more under `npm run soak`.
const TRIALS = process.env.PASSAGE_SOAK === "1" ? 400 : 40;
const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

describe("the worker-thread accumulator", () => {
  it(`verifies exactly as the in-process one, intact or tampered (${TRIALS} trials)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fraction, { minLength: 0, maxLength: 4 }),
        fc.option(fc.constantFrom(...TAMPERINGS), { nil: undefined }),
        fc.tuple(fraction, fraction, fraction),
        fc.integer({ min: 1, max: 5 }),
        async (size, fractions, kind, [first, second, third], batches) => {
          const checkpointSizes = [...new Set(fractions.map((value) => 1 + Math.floor(value * size)))];
          const intact = buildInMemoryAuditLog(
            size,
            checkpointSizes.sort((a, b) => a - b),
            privateKey,
          );
          const log = kind ? (applyTampering(intact, { kind, first, second, third })?.log ?? intact) : intact;
          // The entries arrive in several batches, as from the database.
          const per = Math.ceil(log.entries.length / batches);
          const input = () => ({
            entries: Array.from({ length: batches }, (_, batch) =>
              log.entries.slice(batch * per, (batch + 1) * per),
            ),
            checkpoints: log.checkpoints,
            publicKey,
            recordedSize: log.recordedSize,
          });
          const inProcess = await verifyAuditLog(input());
          const onWorker = await verifyAuditLog({ ...input(), tree: new WorkerMerkleAccumulator() });
          expect(onWorker).toEqual(inProcess);
          if (!kind) expect(inProcess.ok).toBe(true);
        },
      ),
      { numRuns: TRIALS },
    );
  }, 300_000);

  it("finds an entry whose recorded hash is not 32 bytes, and the first of two altered entries", async () => {
    const log = buildInMemoryAuditLog(40, [40], privateKey);
    const entries = log.entries.map((entry, index) =>
      index === 17
        ? { ...entry, leafHash: Buffer.alloc(31) }
        : index === 30
          ? { ...entry, leafHash: Buffer.alloc(32) }
          : entry,
    );
    const input = { entries: [entries], checkpoints: log.checkpoints, publicKey, recordedSize: 40 };
    const inProcess = await verifyAuditLog(input);
    expect(inProcess.problems[0]).toMatchObject({ kind: "entry", index: 17 });
    expect(inProcess.entries).toBe(17);
    expect(await verifyAuditLog({ ...input, tree: new WorkerMerkleAccumulator() })).toEqual(inProcess);
  });
});
