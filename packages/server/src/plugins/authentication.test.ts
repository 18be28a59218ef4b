import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createServer } from "../create-server.ts";
import { normalisedPathOf } from "../route-access.ts";
import type { Authenticator, RequestActor } from "./authentication.ts";

const officer: RequestActor = { id: "u-officer", roles: ["removal_officer"] };
const FAILED_AUTHENTICATIONS_PER_MINUTE = 3;

/** What node-postgres throws when the database is down. */
const databaseDown = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

// "officer" is a valid token this authenticator has seen before; "fresh" is valid but unseen;
// "outage" cannot be checked (the database is down); "revoked" is refused by throwing, as
// Passage's authenticator refuses an unknown, expired or revoked credential.
let lookups = 0;
const authenticator: Authenticator = {
  async authenticate(request) {
    lookups++;
    const token = request.headers.authorization?.replace(/^Bearer /, "");
    if (token === "outage") throw databaseDown();
    if (token === "revoked") throw new Error("invalid credentials");
    return token === "officer" || token === "fresh" ? officer : undefined;
  },
  mayPerform: () => true,
  recognises: (request) => request.headers.authorization === "Bearer officer",
};

let server: FastifyInstance;
beforeAll(async () => {
  server = await createServer({
    authenticator,
    logLevel: "silent",
    rateLimits: { failedAuthenticationsPerMinute: FAILED_AUTHENTICATIONS_PER_MINUTE },
    routes: async (api) => {
      api.withTypeProvider<ZodTypeProvider>().post(
        "/redress",
        {
          config: { access: { action: "redress.file" } },
          schema: { body: z.strictObject({ reason: z.string().min(1) }) },
        },
        async (request) => ({ filed: request.body.reason }),
      );
      api.get("/auth/me", { config: { access: "signed-in" } }, async (request) => ({
        id: request.actor?.id,
      }));
      api.get("/health", { config: { access: "public" } }, async (request) => ({
        id: request.actor?.id ?? null,
      }));
      // A sign-in that meets the database down.
      api.post("/auth/login", { config: { access: "public" } }, async () => {
        throw databaseDown();
      });
    },
  });
});
afterAll(async () => {
  await server.close();
});

describe("the API's authentication, however its path is spelt", () => {
  // Each reaches (or would reach) an API operation: the router decodes what the raw URL hides.
  const spellings = [
    "/api/v1/redress",
    "/%61pi/v1/redress",
    "/%61%70%69/v1/redress",
    "/api/%761/redress",
    "/api%2Fv1%2Fredress",
    "/%2561pi/v1/redress",
    "//api/v1/redress",
    "/api//v1/redress",
    "/API/v1/redress",
    "/Api/V1/Redress",
    "/x/../api/v1/redress",
    "/api/v1/redress/",
    "/api/v1/no-such-operation",
    "/%61pi/v1/no-such-operation",
    "/api",
  ];

  for (const [index, url] of spellings.entries()) {
    it(`answers an anonymous POST ${url} 401 before parsing or validating its body`, async () => {
      for (const payload of ["{}", "{bad"]) {
        const response = await server.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/json" },
          payload,
          // An address each, so that none reaches the failed-authentication limit here.
          remoteAddress: `198.51.100.${100 + index}`,
        });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          error: { code: "PASSAGE_ERR_HTTP_UNAUTHENTICATED", message: expect.any(String) },
        });
        expect(response.headers["cache-control"]).toBe("no-store");
      }
    });
  }

  it("serves an encoded path to a signed-in caller as the operation it routes to", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/%61pi/v1/redress",
      headers: { authorization: "Bearer officer" },
      payload: { reason: "mistaken identity" },
      remoteAddress: "198.51.100.2",
    });
    expect(response.json()).toEqual({ filed: "mistaken identity" });
  });

  it("counts failed authentications at an encoded path against the address's limit", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE + 2; attempt++) {
      const url = attempt % 2 === 0 ? "/%61pi/v1/auth/me" : "/api/v1/auth/me";
      const response = await server.inject({
        url,
        headers: { authorization: `Bearer guess${attempt}` },
        remoteAddress: "198.51.100.3",
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe("the failed-authentication limit", () => {
  it("still serves a recognised credential from an address past its limit, and counts only failures", async () => {
    const address = "198.51.100.4";
    const me = (authorization?: string) =>
      server.inject({
        url: "/api/v1/auth/me",
        headers: authorization ? { authorization } : {},
        remoteAddress: address,
      });
    // Valid requests do not count: many of them leave the address under its limit.
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE * 2; attempt++)
      expect((await me("Bearer officer")).statusCode).toBe(200);
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE; attempt++)
      expect((await me()).statusCode).toBe(401);
    // Past the limit: anonymous callers and unrecognised credentials wait, unchecked.
    expect((await me()).statusCode).toBe(429);
    expect((await me("Bearer guess")).statusCode).toBe(429);
    expect((await me("Bearer fresh")).statusCode).toBe(429);
    const signedIn = await me("Bearer officer");
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toEqual({ id: "u-officer" });
  });

  it("answers a public route past the limit as anonymous, without looking its credential up", async () => {
    const address = "198.51.100.7";
    const get = (url: string, authorization: string) =>
      server.inject({ url, headers: { authorization }, remoteAddress: address });
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE; attempt++)
      expect((await get("/api/v1/auth/me", `Bearer guess${attempt}`)).statusCode).toBe(401);
    const before = lookups;
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await get("/api/v1/health", `Bearer bogus${attempt}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id: null });
    }
    // Not one lookup (each would be an audit entry in Passage's authenticator).
    expect(lookups).toBe(before);
    // A recognised credential is still looked up and served there.
    expect((await get("/api/v1/health", "Bearer officer")).json()).toEqual({ id: "u-officer" });
    expect(lookups).toBe(before + 1);
  });
});

describe("a database outage", () => {
  const unavailable = {
    error: {
      code: "PASSAGE_ERR_HTTP_DATABASE_UNAVAILABLE",
      message: "the database is unavailable: nothing was done; try again shortly",
    },
  };

  it("answers a credential it cannot check 503, not 401, and does not count it as a failed authentication", async () => {
    const address = "198.51.100.5";
    const me = (authorization: string) =>
      server.inject({ url: "/api/v1/auth/me", headers: { authorization }, remoteAddress: address });
    for (let attempt = 0; attempt < FAILED_AUTHENTICATIONS_PER_MINUTE * 2; attempt++) {
      const response = await me("Bearer outage");
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual(unavailable);
    }
    // Still under the limit: an unseen valid credential from the address is checked and served.
    expect((await me("Bearer fresh")).statusCode).toBe(200);
    // A credential refused by a throw is still a failed authentication.
    expect((await me("Bearer revoked")).statusCode).toBe(401);
  });

  it("answers a sign-in that meets the database down 503, not an internal error", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      remoteAddress: "198.51.100.6",
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual(unavailable);
  });
});

describe("normalisedPathOf", () => {
  it("undoes encodings, repeated slashes, dot segments and case", () => {
    expect(normalisedPathOf("/%2561PI//v1/./x/../redress?y=1")).toBe("/api/v1/redress");
    expect(normalisedPathOf("/%zz/%e2%28")).toBe("/%zz/\u00e2(");
    expect(normalisedPathOf("\\api\\v1")).toBe("/api/v1");
    expect(normalisedPathOf("/")).toBe("/");
  });
});
