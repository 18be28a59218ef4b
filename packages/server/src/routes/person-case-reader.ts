import type { PersonCaseRow } from "@passage/store";

/** Statements of the reader running at once at most: a few, so the database's cores stay busy. */
export const MAX_STATEMENTS = 2;
/** Persons read by one statement at most. */
const MAX_PERSONS = 100;

/** Reads the person view's data of several persons in one statement (`findPersonCases`). */
export type FindPersonCases = (personIds: readonly string[]) => Promise<ReadonlyMap<string, PersonCaseRow>>;

interface Waiting {
  readonly resolve: (found: PersonCaseRow | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reads person views (`findPersonCases`) for concurrent requests together: reads that arrive while
 * MAX_STATEMENTS statements run wait for one to end and then go as one statement. Each read is
 * answered by a statement that started after it arrived, so it sees every change committed before
 * it was asked, as a read of its own would; nothing is kept once answered. One statement for many
 * reads spares the database a round trip and an executor start-up per read, about a third of the
 * database's work for a person view.
 */
export class PersonCaseReader {
  readonly #find: FindPersonCases;
  readonly #waiting = new Map<string, Waiting[]>();
  #running = 0;
  #scheduled = false;

  constructor(find: FindPersonCases) {
    this.#find = find;
  }

  /** The person view's data of one person; undefined when no such person. */
  read(personId: string): Promise<PersonCaseRow | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.#waiting.get(personId);
      if (waiting) waiting.push({ resolve, reject });
      else this.#waiting.set(personId, [{ resolve, reject }]);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= MAX_STATEMENTS) return;
    this.#scheduled = true;
    // Requests whose bytes arrived together reach their handlers before this runs, and join.
    setImmediate(() => {
      this.#scheduled = false;
      this.#start();
    });
  }

  #start(): void {
    if (this.#waiting.size === 0 || this.#running >= MAX_STATEMENTS) return;
    const batch = new Map<string, Waiting[]>();
    for (const [personId, waiting] of this.#waiting) {
      if (batch.size === MAX_PERSONS) break;
      batch.set(personId, waiting);
    }
    for (const personId of batch.keys()) this.#waiting.delete(personId);
    this.#running++;
    this.#find([...batch.keys()]).then(
      (found) => this.#finished(() => deliver(batch, found)),
      (error) => this.#finished(() => fail(batch, error)),
    );
  }

  #finished(answer: () => void): void {
    this.#running--;
    // The reads that waited go before this statement's readers hear of it: told at once, each
    // reader's continuation (building and sending its answer) would run before the pool hands the
    // next statement its connection, in a process.nextTick callback.
    this.#start();
    process.nextTick(answer);
    if (this.#waiting.size > 0) this.#schedule();
  }
}

function deliver(batch: ReadonlyMap<string, Waiting[]>, found: ReadonlyMap<string, PersonCaseRow>): void {
  for (const [personId, waiting] of batch) for (const { resolve } of waiting) resolve(found.get(personId));
}

function fail(batch: ReadonlyMap<string, Waiting[]>, error: unknown): void {
  for (const waiting of batch.values()) for (const { reject } of waiting) reject(error);
}
