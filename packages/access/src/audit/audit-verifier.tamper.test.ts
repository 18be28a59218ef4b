import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyTampering,
  buildInMemoryAuditLog,
  type InMemoryAuditLog,
  TAMPERINGS,
} from "./audit-tampering.ts";
import { verifyAuditLog } from "./audit-verifier.ts";

// A few hundred trials in the normal suite; `npm run soak` (PASSAGE_SOAK=1) runs at least 10,000.
const TRIALS = process.env.PASSAGE_SOAK === "1" ? 10_000 : 400;
const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
const logs = new Map<string, InMemoryAuditLog>();

/** Logs are rebuilt rarely: a trial copies one and tampers with the copy. */
function logFor(size: number, checkpointSizes: number[]): InMemoryAuditLog {
  const key = `${size}:${checkpointSizes.join(",")}`;
  let log = logs.get(key);
  if (!log) {
    if (logs.size > 2_000) logs.clear();
    log = buildInMemoryAuditLog(size, checkpointSizes, privateKey);
    logs.set(key, log);
  }
  return log;
}

describe("tamper trials on the audit verifier", () => {
  it(`detects every random tampering (${TRIALS} trials) and names the first bad entry`, async () => {
    const counts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 80 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom(...TAMPERINGS),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        ),
        async (size, checkpointFractions, kind, [first, second, third]) => {
          const checkpointSizes = [
            ...new Set(checkpointFractions.map((fraction) => 1 + Math.floor(fraction * size))),
          ];
          const tampered = applyTampering(
            logFor(
              size,
              checkpointSizes.sort((a, b) => a - b),
            ),
            {
              kind,
              first,
              second,
              third,
            },
          );
          if (!tampered) throw new Error(`${kind} could not be applied to a log of ${size}`);
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
          const { log, expected } = tampered;
          const result = await verifyAuditLog({
            entries: [log.entries],
            checkpoints: log.checkpoints,
            publicKey,
            recordedSize: log.recordedSize,
          });
          expect(result.ok).toBe(false);
          const problem = result.problems[0]!;
          if (expected.kind === "checkpoint") {
            expect(problem).toMatchObject({ kind: "checkpoint", source: expected.source });
          } else {
            expect(problem.kind).toBe("entry");
            expect(problem.index).toBeGreaterThanOrEqual(expected.from);
            expect(problem.index).toBeLessThanOrEqual(expected.to);
          }
        },
      ),
      { numRuns: TRIALS },
    );
    // Every trial applied a tampering, and every kind was tried.
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBe(TRIALS);
    for (const kind of TAMPERINGS) expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });
});
