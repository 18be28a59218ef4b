import { catchUpProjections, createRowIngestor, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// GET /worklist?office=X is office X's worklist: its cases only, an unknown office refused by name.
const PURPOSE = { "x-passage-purpose": "case review" };
let api: ApiTestApp;
const bearer: Record<string, Record<string, string>> = {};

const get = (who: string, url: string) => api.server.inject({ url, headers: { ...bearer[who], ...PURPOSE } });

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role] of [
    ["planner", "transport_planner"],
    ["officer", "removal_officer"],
  ] as const) {
    bearer[who] = {
      authorization: `Bearer ${await api.userToken(userOf(who, role, { office: "NYC" }))}`,
    };
  }
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  const asOf = todayUtc();
  await ingestPerson(api.app.store, ingestor, "P-1", removalCaseRows({ number: 1, asOf }));
  await ingestPerson(api.app.store, ingestor, "P-2", removalCaseRows({ number: 2, asOf }));
  await ingestor.close();
  while ((await catchUpProjections(api.app)).applied > 0);
  for (const [personId, office] of [
    ["P-1", "NYC"],
    ["P-2", "LAX"],
  ] as const) {
    await setCaseAssignment(api.app.store.db, { personId, office, assignees: [], updatedBy: "test" });
  }
});

afterAll(async () => {
  await api.close();
});

describe("GET /worklist?office=", () => {
  it("lists and counts only the office's cases, refuses an unknown office with 400, and an unreadable one with 403", async () => {
    const everyOffice = (await get("planner", "/api/v1/worklist")).json();
    expect(everyOffice.total).toBe(2);
    const lax = await get("planner", "/api/v1/worklist?office=LAX");
    expect(lax.statusCode, lax.body).toBe(200);
    expect(lax.json()).toMatchObject({ total: 1, entries: [{ personId: "P-2" }] });
    const bogus = await get("planner", "/api/v1/worklist?office=BOGUS");
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().error).toMatchObject({
      code: "PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN",
      message: expect.stringContaining('"BOGUS"'),
    });
    const refused = await get("officer", "/api/v1/worklist?office=LAX");
    expect(refused.statusCode).toBe(403);
  });
});
