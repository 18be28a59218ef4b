import path from "node:path";
import { PersonStatusChanged, PersonsChanged } from "@passage/core";
import { appendOutboxEvents, executeSql, outboxEventOf, replaceIdentityIssues } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerRunner } from "../consumers/consumer-runner.ts";
import { exited, spawnTypeScript } from "../consumers/testing/spawn-typescript.ts";
import { createRowIngestor } from "../ingest/row-ingestor.ts";
import type { LifecycleSources } from "./derive-person-statuses.ts";
import { createLifecycleService, type LifecycleService, todayUtc } from "./lifecycle-service.ts";
import { DATABASE_LIFECYCLE_SOURCES } from "./lifecycle-sources.ts";
import { CONFIRMED_IDENTITY } from "./policy-inputs.ts";

const CHILD = path.join(import.meta.dirname, "testing", "rebuild-child.ts");
const PERSONS = 24;
/** Kills per run: a few in the normal suite, more under `npm run soak`. */
const KILLS = process.env.PASSAGE_SOAK === "1" ? 20 : 3;

let database: TestDatabase;

const confirmed: LifecycleSources = {
  identityFacts: async (_executor, ids) => new Map(ids.map((id) => [id, CONFIRMED_IDENTITY])),
  citizenshipClaims: async () => new Map(),
};

function service(options: { personsPerBatch?: number; onIdentityRead?: () => Promise<void> } = {}) {
  return createLifecycleService({
    store: database,
    sources: {
      ...confirmed,
      async identityFacts(executor, ids) {
        await options.onIdentityRead?.();
        return confirmed.identityFacts(executor, ids);
      },
    },
    personsPerBatch: options.personsPerBatch ?? 1,
  });
}

const personId = (index: number) => `P-${String(index).padStart(2, "0")}`;

async function personsChanged(personIds: string[], retiredPersonIds: string[] = []): Promise<void> {
  await database.db.transaction().execute((transaction) =>
    appendOutboxEvents(transaction, [
      outboxEventOf(PersonsChanged, personIds[0] ?? retiredPersonIds[0]!, {
        personIds,
        retiredPersonIds,
        reason: "record_linked",
      }),
    ]),
  );
}

async function catchUp(lifecycle: LifecycleService): Promise<void> {
  await createConsumerRunner({
    db: database.db,
    pool: database.pool,
    handlers: [lifecycle.handler],
  }).catchUp();
}

async function statusRows(): Promise<Record<string, unknown>[]> {
  const rows = await executeSql<Record<string, unknown>>(
    database.db,
    "SELECT * FROM person_status ORDER BY person_id",
  );
  return rows.map(({ derived_at: _derivedAt, ...row }) => row);
}

/** Waits (up to 60 s) until no session holds an advisory lock on this database: killed children's are gone. */
async function advisoryLocksReleased(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const [row] = await executeSql<{ held: number }>(
      database.db,
      `SELECT count(*)::int AS held FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    if (row!.held === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("a killed rebuild's session still holds its lock after 60 s");
}

/** The projection's indexes and constraints by name and definition: a swap must keep them as they were. */
async function schemaOfProjection(): Promise<string[]> {
  const rows = await executeSql<{ line: string }>(
    database.db,
    `SELECT indexname || ': ' || indexdef AS line FROM pg_indexes WHERE tablename = 'person_status'
     UNION ALL
     SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'person_status'::regclass
     UNION ALL
     SELECT attname || ': ' || attstorage::text || ' ' || attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = 'person_status'::regclass AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}

async function rebuildTableExists(): Promise<boolean> {
  const [row] = await executeSql<{ exists: boolean }>(
    database.db,
    "SELECT to_regclass('person_status_rebuild') IS NOT NULL AS exists",
  );
  return row!.exists;
}

/** The admission record of person `index` (its I-94 number is its key). */
function admissionRow(index: number): Record<string, string> {
  const today = new Date(`${todayUtc()}T00:00:00Z`);
  const day = (days: number) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return {
    family_name: `Family${index}`,
    given_names: "Ana",
    date_of_birth: "1990-03-04",
    i94_number: String(10_000_000_000 + index),
    class_of_admission: "B2",
    admission_date: day(-400 + index),
    admit_until: day(index % 2 === 0 ? -200 : 200),
    port_of_entry: "MIA",
  };
}

/** The PersonStatusChanged events in the outbox about this person. */
async function statusEventsOf(id: string): Promise<number> {
  const [row] = await executeSql<{ count: number }>(
    database.db,
    "SELECT count(*)::int AS count FROM outbox_event WHERE event_type = $1 AND partition_key = $2",
    [PersonStatusChanged.name, id],
  );
  return row!.count;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
  for (let index = 0; index < PERSONS; index++) {
    const row = admissionRow(index);
    const key = row.i94_number!;
    expect((await ingestor.ingest("admission", row)).outcome).toBe("new");
    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [personId(index)]);
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('admission', $1, $2)",
      [key, personId(index)],
    );
  }
  await ingestor.close();
  await personsChanged(Array.from({ length: PERSONS }, (_, index) => personId(index)));
  await catchUp(service());
  expect((await statusRows()).length).toBe(PERSONS);
});

afterAll(async () => {
  await database.drop();
});

describe("rebuild of the lifecycle projection", () => {
  it("leaves the projection whole for readers while it runs, and swaps the new one in with the same indexes", async () => {
    const before = await statusRows();
    const schema = await schemaOfProjection();
    const seen: number[] = [];
    const lifecycle = service({
      onIdentityRead: async () => {
        const [row] = await executeSql<{ count: number }>(
          database.db,
          "SELECT count(*)::int AS count FROM person_status",
        );
        seen.push(row!.count);
      },
    });
    expect(await lifecycle.rebuild()).toEqual({ persons: PERSONS });
    expect(seen.length).toBe(PERSONS);
    expect(new Set(seen)).toEqual(new Set([PERSONS]));
    expect(await statusRows()).toEqual(before);
    expect(await schemaOfProjection()).toEqual(schema);
    expect(await rebuildTableExists()).toBe(false);
  });

  it("leaves the projection as it was when the rebuild fails, and the next one completes", async () => {
    const before = await statusRows();
    let reads = 0;
    const failing = service({
      onIdentityRead: async () => {
        if (++reads === 5) throw new Error("identity facts unavailable");
      },
    });
    await expect(failing.rebuild()).rejects.toThrow("identity facts unavailable");
    expect(await statusRows()).toEqual(before);
    expect(await rebuildTableExists()).toBe(false);
    expect(await service().rebuild()).toEqual({ persons: PERSONS });
    expect(await statusRows()).toEqual(before);
  });

  it("refuses a second rebuild while one runs, by name, and leaves the first to finish", async () => {
    let second: Promise<unknown> | undefined;
    const first = service({
      onIdentityRead: async () => {
        second ??= service().rebuild();
        await second.catch(() => undefined);
      },
    });
    expect(await first.rebuild()).toEqual({ persons: PERSONS });
    await expect(second).rejects.toMatchObject({ code: "PASSAGE_ERR_REBUILD_RUNNING" });
    expect((await statusRows()).length).toBe(PERSONS);
  });

  it("removes a person retired while it ran, though its snapshot still held the person", async () => {
    const before = await statusRows();
    const retired = personId(7);
    const handler = service();
    let reads = 0;
    const lifecycle = service({
      onIdentityRead: async () => {
        if (++reads !== 2) return;
        // Linkage moves the person's record away and the handler applies it to the live table.
        await executeSql(database.db, "DELETE FROM person_member WHERE person_id = $1", [retired]);
        await executeSql(database.db, "DELETE FROM person WHERE person_id = $1", [retired]);
        await personsChanged([], [retired]);
        await catchUp(handler);
      },
    });
    expect(await lifecycle.rebuild()).toEqual({ persons: PERSONS });
    expect(await statusRows()).toEqual(before.filter((row) => row.person_id !== retired));
    // Put back for the tests after.
    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ($1)", [retired]);
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('admission', '10000000007', $1)",
      [retired],
    );
    await personsChanged([retired]);
    await catchUp(handler);
    expect(await statusRows()).toEqual(before);
  });

  it("leaves the old projection whole when killed (kill -9) at any point, and the next rebuild completes", async () => {
    const before = await statusRows();
    for (let kill = 0; kill < KILLS; kill++) {
      // Killed after a random number of persons written, from the first to the last.
      const after = 1 + Math.floor(Math.random() * PERSONS);
      let killed!: () => void;
      const due = new Promise<void>((resolve) => {
        killed = resolve;
      });
      const child = spawnTypeScript(CHILD, [database.url], {
        onLine: (line) => {
          if (line === `progress ${after}` || line.startsWith("rebuilt")) killed();
        },
      });
      const exit = exited(child);
      await Promise.race([
        due,
        exit.then((code) => Promise.reject(new Error(`child exited early: ${code}`))),
      ]);
      child.kill("SIGKILL");
      expect(await exit).toBe("SIGKILL");
      // Readers see every row of the old projection (or, had the swap committed, the new one).
      expect(await statusRows()).toEqual(before);
    }
    // A killed child's backend holds the rebuild lock until PostgreSQL notices the dropped
    // connection, which on a loaded machine can be after its running statement ends: until then a
    // rebuild is refused as running (PASSAGE_ERR_REBUILD_RUNNING), as it should be.
    await advisoryLocksReleased();
    expect(await service({ personsPerBatch: 5 }).rebuild()).toEqual({ persons: PERSONS });
    expect(await statusRows()).toEqual(before);
    expect(await rebuildTableExists()).toBe(false);
  }, 120_000);

  it("writes the same full rows as the incremental path after departures and identity issues that cite them", async () => {
    // Departures arrive for a few persons, and linkage opens review items on some of them, as
    // `passage simulate departures` on a running demo does: the handler derives each step, then a
    // rebuild derives everyone at once from the same inputs, and every column must agree.
    const lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
    const evidence = ["carrier_manifest", "self_report", "land_exchange", "removal_executed"] as const;
    const departed = [0, 1, 2, 3, 4, 5].map(personId);
    for (const [index, id] of departed.entries()) {
      const key = `SIM-${index}`;
      const row = {
        departure_id: key,
        family_name: `Family${index}`,
        given_names: "Ana",
        date_of_birth: "1990-03-04",
        departure_date: todayUtc(),
        mode: "air",
        evidence: evidence[index % evidence.length],
        reported_at: new Date().toISOString(),
      };
      expect((await ingestor.ingest("departure", row)).outcome).toBe("new");
      await executeSql(
        database.db,
        "INSERT INTO person_member (feed, key_value, person_id) VALUES ('departure', $1, $2)",
        [key, id],
      );
      if (index % 2 === 0) {
        await replaceIdentityIssues(
          database.db,
          [id],
          [
            {
              personId: id,
              kind: "review_band_link",
              detail: "an uncertain link to a record in the review queue",
              matchProbability: 0.9,
              evidence: [{ feed: "departure", recordKey: key, version: 1 }],
            },
          ],
        );
      }
      await personsChanged([id]);
      await catchUp(lifecycle);
    }
    await ingestor.close();
    const incremental = await statusRows();
    const gatesOf = (id: string) => incremental.find((row) => row.person_id === id)!.gates_holding;
    expect(gatesOf(personId(0))).toContain("IDENTITY_NOT_CONFIRMED");
    expect(gatesOf(personId(1))).not.toContain("IDENTITY_NOT_CONFIRMED");
    expect(await lifecycle.rebuild()).toEqual({ persons: PERSONS });
    expect(await statusRows()).toEqual(incremental);
  });

  it("writes the same input digest as the incremental path for a record with a superseded version, and re-deriving announces nothing", async () => {
    // A corrected record (a feed re-sent with a field changed, or a redress correction) keeps its
    // first version: the incremental path reads every version, the rebuild only the latest, and
    // the status reads only the latest. Equal inputs must give an equal digest on both paths, or
    // the rebuilt row differs and the next re-derivation rewrites it and announces a change.
    const lifecycle = createLifecycleService({ store: database, sources: DATABASE_LIFECYCLE_SOURCES });
    const corrected = personId(9);
    const ingestor = createRowIngestor({ pool: database.pool, sourceName: "test", maxDelayMs: 1 });
    expect((await ingestor.ingest("admission", { ...admissionRow(9), port_of_entry: "JFK" })).outcome).toBe(
      "corrected",
    );
    await ingestor.close();
    await personsChanged([corrected]);
    await catchUp(lifecycle);
    const incremental = await statusRows();
    const events = await statusEventsOf(corrected);
    expect(await lifecycle.rebuild()).toEqual({ persons: PERSONS });
    expect(await statusRows()).toEqual(incremental);
    // Nothing changed since the rebuild: the handler re-derives the person and finds it current.
    await personsChanged([corrected]);
    await catchUp(lifecycle);
    expect(await statusRows()).toEqual(incremental);
    expect(await statusEventsOf(corrected)).toBe(events);
  });
});
