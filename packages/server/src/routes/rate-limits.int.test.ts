import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// Small limits, so that a few requests reach them.
const PER_MINUTE = 5;
const FAILED_AUTHENTICATIONS_PER_MINUTE = 3;

let api: ApiTestApp;

beforeAll(async () => {
  api = await createApiTestApp({
    rateLimits: { perMinute: PER_MINUTE, failedAuthenticationsPerMinute: FAILED_AUTHENTICATIONS_PER_MINUTE },
  });
});

afterAll(async () => {
  await api.close();
});

async function auditCount(action: string): Promise<number> {
  const { rows } = await api.app.store.pool.query(
    "SELECT count(*)::int AS count FROM audit_entry WHERE content::jsonb->>'action' = $1",
    [action],
  );
  return rows[0].count;
}

describe("rate limits", () => {
  it("answers an address past its failed authentications 429, without looking its token up or auditing it", async () => {
    const before = await auditCount("auth.token");
    const statuses: number[] = [];
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE + 2; attempt++) {
      const response = await api.server.inject({
        url: "/api/v1/persons",
        headers: { authorization: `Bearer pat_guess${attempt}`, "x-passage-purpose": "test" },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_RATE_LIMITED");
        expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await auditCount("auth.token")) - before).toBe(FAILED_AUTHENTICATIONS_PER_MINUTE);
    // Anonymous requests count as failures of the same address.
    expect((await api.server.inject({ url: "/api/v1/persons" })).statusCode).toBe(429);
  });

  it("still serves signed-in users of an address that guesses or floods past its limit", async () => {
    const address = "192.0.2.9";
    await api.app.access.accounts.createUser(
      userOf("clerk", "removal_officer"),
      "correct horse battery staple",
    );
    const token = await api.userToken(userOf("analyst", "removal_officer"));
    const me = (headers: Record<string, string>) =>
      api.server.inject({ url: "/api/v1/auth/me", headers, remoteAddress: address });
    // A token used before the flood, and a session signed in during it.
    expect((await me({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE; attempt++)
      expect((await me({ authorization: `Bearer pat_flood${attempt}` })).statusCode).toBe(401);
    expect((await me({})).statusCode).toBe(429);
    const login = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "clerk", password: "correct horse battery staple" },
      remoteAddress: address,
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    // Each valid credential is checked and served; the guesses still wait, unchecked.
    expect((await me({ authorization: `Bearer ${token}` })).json().user.username).toBe("analyst");
    expect((await me({ cookie })).json().user.username).toBe("clerk");
    expect((await me({ authorization: "Bearer pat_flood-more" })).statusCode).toBe(429);
  });

  it("counts requests the route guard refuses against the actor's limit", async () => {
    const token = await api.userToken(userOf("consul", "consular_officer", { country: "MEX" }));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < PER_MINUTE + 1; attempt++) {
      const response = await api.server.inject({
        url: "/api/v1/persons",
        headers: { authorization: `Bearer ${token}`, "x-passage-purpose": "test" },
        // Another address than the first test's, which is past its failed authentications.
        remoteAddress: "192.0.2.7",
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([...Array(PER_MINUTE).fill(403), 429]);
  });
});
