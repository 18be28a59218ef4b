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
