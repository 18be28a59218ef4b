import type { AuditRepository, AuditRowToAppend } from "@passage/store";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AuditEvent, decodeAuditEntryOrThrow } from "../audit/audit-entry.ts";
import { leafHash } from "../audit/merkle-hash.ts";
import { AuditAppendQueue } from "./audit-append-queue.ts";

const TRIALS = process.env.PASSAGE_SOAK === "1" ? 2_000 : 200;

/** What the next statement meets: it commits, fails before committing, or finds entries another process appended. */
type Statement = { kind: "commit" } | { kind: "fail" } | { kind: "other-writer"; entries: number };

const eventOf = (requestId: string): AuditEvent => ({
  time: "2026-11-23T00:00:00.000Z",
  requestId,
  actor: "user:officer",
  purpose: "case_review",
  action: "person.read",
  resourceType: "Person",
  resourceId: "P-1",
  decision: "allow",
  outcome: "success",
  errorCode: null,
  reasons: [],
  details: {},
});

/**
 * An in-memory audit table and head with the repository's contract: `appendAt` stores only when
 * the head is where the caller says, `append` takes the head's positions. Statements run when the
 * test releases them, meeting the behaviour it scripted; `history` records what happened in order.
 */
function fakeRepository(script: Statement[] = []) {
  const log: string[] = [];
  const history: string[] = [];
  const waiting: (() => void)[] = [];
  // As pg's pool does, a statement gets its connection (and is sent) in a process.nextTick callback.
  const statement = <T>(sent: string, run: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      process.nextTick(() => history.push(sent));
      waiting.push(() => {
        try {
          resolve(run());
        } catch (error) {
          reject(error);
        }
      });
    });
  const meet = () => {
    const next = script.shift() ?? { kind: "commit" };
    if (next.kind === "other-writer") for (let i = 0; i < next.entries; i++) log.push("other");
    if (next.kind === "fail") throw new Error("connection lost");
  };
  const store = (first: number, rows: readonly AuditRowToAppend[]) => {
    rows.forEach((row, offset) => {
      expect(leafHash(Buffer.from(row.content)).equals(row.leafHash)).toBe(true);
      log[first + offset] = row.content;
      history.push(`commit ${decodeAuditEntryOrThrow(Buffer.from(row.content)).requestId}`);
    });
  };
  const repository = {
    appendAt(firstIndex: number, rows: readonly AuditRowToAppend[]) {
      return statement(`send ${rows.length}`, () => {
        meet();
        if (log.length !== firstIndex) return false;
        store(firstIndex, rows);
        return true;
      });
    },
    append(count: number, build: (firstIndex: number) => readonly AuditRowToAppend[]) {
      return statement(`send ${count}`, () => {
        meet();
        const first = log.length;
        store(first, build(first));
        return first;
      });
    },
  } as unknown as AuditRepository;
  return {
    repository,
    log,
    history,
    statementsWaiting: () => waiting.length,
    /** Runs the oldest statement sent. */
    release: () => waiting.shift()?.(),
  };
}

/** Lets every promise continuation, process.nextTick callback and I/O callback queued run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the audit append queue", () => {
  it("acknowledges an entry only once its batch has committed, and sends the next batch first", async () => {
    const fake = fakeRepository();
    const queue = new AuditAppendQueue({ repository: fake.repository });
    const acknowledged: string[] = [];
    const append = (id: string) =>
      queue.append(eventOf(id)).then((index) => {
        fake.history.push(`ack ${id}`);
        acknowledged.push(`${id}@${index}`);
      });
    const first = [append("a"), append("b")];
    await settle();
    expect(fake.history).toEqual(["send 2"]);
    // Appended while the first batch commits: they wait together for the next.
    const second = [append("c"), append("d"), append("e")];
    await settle();
    expect(fake.history).toEqual(["send 2"]);
    expect(acknowledged).toEqual([]);
    fake.release();
    await settle();
    expect(fake.history).toEqual(["send 2", "commit a", "commit b", "send 3", "ack a", "ack b"]);
    expect(acknowledged).toEqual(["a@0", "b@1"]);
    fake.release();
    await Promise.all([...first, ...second]);
    expect(acknowledged).toEqual(["a@0", "b@1", "c@2", "d@3", "e@4"]);
    await queue.flush();
  });

  it(`never loses, duplicates or reorders an entry, nor acknowledges one before its commit (${TRIALS} trials)`, async () => {
    const statement: fc.Arbitrary<Statement> = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ kind: "commit" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "fail" as const }) },
      {
        weight: 2,
        arbitrary: fc
          .integer({ min: 1, max: 3 })
          .map((entries) => ({ kind: "other-writer" as const, entries })),
      },
    );
    const step = fc.oneof(
      fc.integer({ min: 1, max: 6 }).map((count) => ({ append: count })),
      fc.constant({ release: true as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.array(statement, { maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        async (steps, script, maxBatch) => {
          const fake = fakeRepository([...script]);
          const queue = new AuditAppendQueue({ repository: fake.repository, maxBatch });
          const outcomes: Promise<{ id: string; index?: number; failed?: boolean }>[] = [];
          let next = 0;
          for (const action of steps) {
            if ("append" in action) {
              for (let i = 0; i < action.append; i++) {
                const id = `r${next++}`;
                outcomes.push(
                  queue.append(eventOf(id)).then(
                    (index) => {
                      fake.history.push(`ack ${id}`);
                      return { id, index };
                    },
                    () => ({ id, failed: true }),
                  ),
                );
              }
            } else {
              fake.release();
            }
            await settle();
          }
          const settled = Promise.all(outcomes);
          let done = false;
          void settled.then(() => {
            done = true;
          });
          while (!done) {
            fake.release();
            await settle();
          }
          await queue.flush();
          expect(fake.statementsWaiting()).toBe(0);
          const results = await settled;

          // Gapless, each of our entries stored at most once, at the index it was acknowledged with.
          expect(fake.log.every((content) => content !== undefined)).toBe(true);
          const stored = fake.log
            .filter((content) => content !== "other")
            .map((content) => JSON.parse(content));
          expect(new Set(stored.map((entry) => entry.requestId)).size).toBe(stored.length);
          for (const { id, index, failed } of results) {
            const position = fake.log.findIndex(
              (content) => content !== "other" && JSON.parse(content).requestId === id,
            );
            if (failed) {
              expect(position).toBe(-1);
            } else {
              expect(position).toBe(index);
              expect(JSON.parse(fake.log[position]!).index).toBe(position);
              expect(fake.history.indexOf(`commit ${id}`)).toBeLessThan(fake.history.indexOf(`ack ${id}`));
            }
          }
          // In the order they were appended.
          const order = stored.map((entry) => Number(entry.requestId.slice(1)));
          expect(order).toEqual([...order].sort((a, b) => a - b));
          // Only a failed statement refuses entries.
          if (!script.some((planned) => planned.kind === "fail")) {
            expect(results.every((result) => !result.failed)).toBe(true);
          }
        },
      ),
      { numRuns: TRIALS },
    );
  });
});
