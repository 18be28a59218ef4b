import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRecordWriter } from "../testing/record-writer.ts";
import { executeSql } from "./outbox-repository.ts";
import { findRecordsOfPersons } from "./person-repository.ts";
import { findRecordVersions } from "./record-queries.ts";
import { findCitizenshipClaimsOfPersons } from "./redress-repository.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

// Stored to the microsecond; shown (recordedAt, toISOString) and parsed (--known-at) to the millisecond.
const STORED = "2026-01-02T03:04:05.123456Z";
const SHOWN = "2026-01-02T03:04:05.123Z";
const JUST_BEFORE = "2026-01-02T03:04:05.122Z";

describe("known-at filters include the instant a version is shown as recorded", () => {
  it("records of persons, a record's versions and citizenship claims alike", async () => {
    // source_record is append-only and stamps recorded_at itself: write until one lands off a
    // whole millisecond (999 times in 1000 the first does).
    const write = createTestRecordWriter(database.pool);
    let key = "";
    let sub = 0;
    for (let attempt = 0; sub === 0 && attempt < 20; attempt++) {
      key = `V-KA-${attempt}`;
      await write("visa", [{ key, fields: { visa_id: key } }]);
      const [row] = await executeSql<{ sub: string }>(
        database.db,
        "SELECT (extract(microseconds FROM recorded_at)::bigint % 1000)::text AS sub FROM source_record WHERE key_value = $1",
        [key],
      );
      sub = Number(row!.sub);
    }
    expect(sub).not.toBe(0);
    const [stored] = await findRecordVersions(database.db, "visa", key);
    const shown = stored!.recordedAt;
    const justBefore = new Date(Date.parse(shown) - 1).toISOString();

    const versions = await findRecordVersions(database.db, "visa", key, { knownAt: shown });
    expect(versions.map((record) => record.recordedAt)).toEqual([shown]);
    expect(await findRecordVersions(database.db, "visa", key, { knownAt: justBefore })).toEqual([]);

    await executeSql(database.db, "INSERT INTO person (person_id) VALUES ('P-KA')");
    await executeSql(
      database.db,
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('visa', $1, 'P-KA')",
      [key],
    );
    await executeSql(
      database.db,
      `INSERT INTO citizenship_claim (claim_id, person_id, opened_on, closed_on, opened_at, closed_at, outcome)
       VALUES ('CL-KA', 'P-KA', '2026-01-01', '2026-01-02', $1, $1, 'verified')`,
      [STORED],
    );

    const ofPersons = await findRecordsOfPersons(database.db, ["P-KA"], { knownAt: shown });
    expect(ofPersons.get("P-KA")?.map((record) => record.recordKey)).toEqual([key]);
    expect((await findRecordsOfPersons(database.db, ["P-KA"], { knownAt: justBefore })).size).toBe(0);

    // A claim's opened_at and closed_at are stamped alike (here set to the microsecond).

    const claims = await findCitizenshipClaimsOfPersons(database.db, ["P-KA"], { knownAt: SHOWN });
    expect(claims.get("P-KA")?.map((claim) => [claim.claimId, claim.closedOn])).toEqual([
      ["CL-KA", "2026-01-02"],
    ]);
    expect((await findCitizenshipClaimsOfPersons(database.db, ["P-KA"], { knownAt: JUST_BEFORE })).size).toBe(
      0,
    );
  });
});
