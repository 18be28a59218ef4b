import type { AuditRepository, AuditRowToAppend } from "@passage/store";
import { type AuditEvent, ENTRY_PREFIX, encodeAuditEntry } from "../audit/audit-entry.ts";
import { leafHash } from "../audit/merkle-hash.ts";

export interface AuditAppendQueueOptions {
  readonly repository: AuditRepository;
  /** Entries appended in one transaction at most (default 1,000). */
  readonly maxBatch?: number;
  /** Told the number of entries of every batch committed. */
  readonly onCommitted?: (count: number) => void;
  /** Told when every entry appended so far has been committed or refused. */
  readonly onIdle?: () => void;
}

interface Pending {
  readonly event: AuditEvent;
  /** The event's canonical bytes at index 0, checked when it was appended. */
  readonly encoded: Buffer;
  readonly resolve: (index: number) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { readonly first: number } | { readonly error: unknown };

/**
 * Appends audit entries in batches, in the order they were appended. Entries that arrive while a
 * batch commits wait together and go as the next batch the moment it has committed (the head's
 * row lock would hold a second batch until then anyway); each entry's promise resolves with its
 * position once its batch is committed, never before.
 */
export class AuditAppendQueue {
  readonly #repository: AuditRepository;
  readonly #options: AuditAppendQueueOptions;
  readonly #pending: Pending[] = [];
  #draining: Promise<void> | undefined;
  // The head as this process last left it: the first position of its next batch, if no one else appends.
  #nextIndex: number | undefined;

  constructor(options: AuditAppendQueueOptions) {
    this.#repository = options.repository;
    this.#options = options;
  }

  /** Appends one event; resolves with its index once it is committed. */
  append(event: AuditEvent): Promise<number> {
    // Reject a malformed event now, in the caller's stack, not inside someone else's batch.
    const encoded = encodeAuditEntry({ ...event, index: 0 });
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, encoded, resolve, reject });
      this.#scheduleDrain();
    });
  }

  /** Resolves once every entry appended so far is committed (or refused). */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  #scheduleDrain(): void {
    if (this.#draining) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // An append that arrived after the loop's last look at the queue starts the next drain.
      if (this.#pending.length > 0) this.#scheduleDrain();
    });
  }

  async #drain(): Promise<void> {
    // Let callers that append in the same tick join the first batch.
    await Promise.resolve();
    let batch = this.#take();
    let committing = batch && this.#commit(batch);
    while (batch && committing) {
      const outcome = await committing;
      const committed = batch;
      batch = this.#take();
      committing = batch && this.#commit(batch);
      // The next batch is on its way before this one's callers hear of their commit. Told at once,
      // each caller's continuation (finishing and sending an answer) would run before the pool
      // hands the next batch its connection — in a process.nextTick callback, which waits for
      // every promise continuation queued — and the next commit would wait for all of them.
      process.nextTick(acknowledge, committed, outcome);
    }
    this.#options.onIdle?.();
  }

  #take(): Pending[] | undefined {
    return this.#pending.length > 0 ? this.#pending.splice(0, this.#options.maxBatch ?? 1_000) : undefined;
  }

  /** Commits one batch; never throws (a failure is its outcome, for its own entries only). */
  async #commit(batch: readonly Pending[]): Promise<Outcome> {
    const rowsAt = (firstIndex: number): AuditRowToAppend[] =>
      batch.map(({ event, encoded }, offset) => {
        const content = withIndex(encoded, firstIndex + offset);
        return {
          content: content.toString("utf8"),
          leafHash: leafHash(content),
          actor: event.actor,
          resourceType: event.resourceType,
          resourceId: event.resourceId,
        };
      });
    try {
      // Where this process's last batch ended is where the next one usually starts: one
      // statement then appends it. Only when another process appended meanwhile (or at the
      // first batch) does the append take its positions under the head's lock.
      const expected = this.#nextIndex;
      const first =
        expected !== undefined && (await this.#repository.appendAt(expected, rowsAt(expected)))
          ? expected
          : await this.#repository.append(batch.length, rowsAt);
      this.#nextIndex = first + batch.length;
      this.#options.onCommitted?.(batch.length);
      return { first };
    } catch (error) {
      this.#nextIndex = undefined;
      return { error };
    }
  }
}

function acknowledge(batch: readonly Pending[], outcome: Outcome): void {
  if ("first" in outcome) {
    for (const [offset, item] of batch.entries()) item.resolve(outcome.first + offset);
  } else {
    for (const item of batch) item.reject(outcome.error);
  }
}

/**
 * The canonical bytes of an entry encoded at index 0, at `index` instead: the index is the only
 * part that depends on the position, written right after ENTRY_PREFIX (so an entry is checked and
 * encoded once, when it is appended, not again when its batch takes its positions).
 */
function withIndex(encodedAtZero: Buffer, index: number): Buffer {
  return Buffer.concat([
    ENTRY_PREFIX,
    Buffer.from(String(index), "latin1"),
    encodedAtZero.subarray(ENTRY_PREFIX.length + 1),
  ]);
}
