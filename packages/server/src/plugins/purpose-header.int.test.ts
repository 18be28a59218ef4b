import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

const PURPOSE = "revisión de caso — ñandú";
/** The header as Node hands it over: the UTF-8 bytes sent, one latin1 character per byte. */
const PURPOSE_AS_RECEIVED = Buffer.from(PURPOSE, "utf8").toString("latin1");

let api: ApiTestApp;
let officer: string;
let consul: string;

beforeAll(async () => {
  api = await createApiTestApp();
  officer = await api.userToken(userOf("officer", "removal_officer"));
  consul = await api.userToken(userOf("consul", "consular_officer", { country: "MEX" }));
});

afterAll(async () => {
  await api.close();
});

async function purposesOf(action: string): Promise<string[]> {
  const { rows } = await api.app.store.pool.query(
    "SELECT content::jsonb->>'purpose' AS purpose FROM audit_entry WHERE content::jsonb->>'action' = $1",
    [action],
  );
  return rows.map((row: { purpose: string }) => row.purpose);
}

describe("the purpose header", () => {
  it("is stored as the UTF-8 text the caller sent, in the route's audit entries", async () => {
    const response = await api.server.inject({
      url: "/api/v1/persons/P-nobody",
      headers: { authorization: `Bearer ${officer}`, "x-passage-purpose": PURPOSE_AS_RECEIVED },
    });
    // Refused by the policies (no such person in the officer's reach), and audited with the purpose.
    expect(response.statusCode, response.body).toBe(403);
    const stored = await purposesOf("person.read");
    expect(stored).toContain(PURPOSE);
    expect(stored).not.toContain(PURPOSE_AS_RECEIVED);
  });

  it("is stored as UTF-8 text in the route guard's denials too", async () => {
    const response = await api.server.inject({
      url: "/api/v1/persons",
      headers: { authorization: `Bearer ${consul}`, "x-passage-purpose": PURPOSE_AS_RECEIVED },
    });
    expect(response.statusCode).toBe(403);
    const { rows } = await api.app.store.pool.query(
      `SELECT content::jsonb->>'purpose' AS purpose FROM audit_entry
        WHERE content::jsonb->>'actor' = 'user:consul' AND content::jsonb->>'decision' = 'deny'`,
    );
    expect(rows.map((row: { purpose: string }) => row.purpose)).toEqual([PURPOSE]);
  });

  it("is refused, naming it, when its bytes are not UTF-8", async () => {
    const response = await api.server.inject({
      url: "/api/v1/persons",
      // 0xE9 alone: "é" in latin1, never valid UTF-8.
      headers: { authorization: `Bearer ${officer}`, "x-passage-purpose": "revisi\u00e9n" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: "PASSAGE_ERR_HTTP_INVALID_REQUEST",
      message: expect.stringContaining("x-passage-purpose is not valid UTF-8"),
    });
  });

  it("still answers an anonymous caller 401 first", async () => {
    const response = await api.server.inject({
      url: "/api/v1/persons",
      headers: { "x-passage-purpose": "revisi\u00e9n" },
    });
    expect(response.statusCode).toBe(401);
  });
});
