import { ROLES, type Role } from "@passage/access";
import type { RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayPerformAction } from "../authentication/passage-authenticator.ts";
import type { RouteAccess } from "../route-access.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

interface JsonBodyRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

/** Content types a client may send by mistake; each must be refused unread, whatever the route. */
const OTHER_CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "application/xml",
];

let api: ApiTestApp;
const routes: JsonBodyRoute[] = [];
const tokens = new Map<Role, string>();
let session = "";

beforeAll(async () => {
  api = await createApiTestApp({
    onRoute: (route: RouteOptions) => {
      if (!route.url.startsWith("/api/") || !route.schema?.body) return;
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        routes.push({ method, url: route.url, access: route.config?.access as RouteAccess | undefined });
      }
    },
  });
  for (const role of ROLES) {
    if (role === "local_operator" || role === "consular_officer") continue;
    tokens.set(role, await api.userToken(userOf(role.replaceAll("_", "-"), role)));
  }
  session = (await api.app.access.accounts.createSession("data-steward")).token;
});

afterAll(async () => {
  await api.close();
});

/** A credential the route admits, so that the request reaches the body parser. */
function authorizationFor(route: JsonBodyRoute): Record<string, string> {
  if (route.access === "public") return {};
  if (route.access === "signed-in") return { authorization: `Bearer ${session}` };
  const action = (route.access as { action: string }).action;
  const role = [...tokens.keys()].find((candidate) =>
    mayPerformAction(
      api.app.access,
      {
        kind: "user",
        id: candidate,
        roles: [candidate],
        office: "HQ",
        confidentialityNeeds: [],
        country: "",
      },
      action,
    ),
  );
  return role ? { authorization: `Bearer ${tokens.get(role)}` } : {};
}

describe("every route that takes a JSON body refuses any other content type with 415", () => {
  it("finds the JSON-body routes, /redress and /auth/tokens among them", () => {
    const urls = routes.map((route) => route.url);
    expect(urls).toContain("/api/v1/redress");
    expect(urls).toContain("/api/v1/auth/tokens");
    expect(routes.length).toBeGreaterThan(10);
  });

  it("answers 415 PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE naming the content type", async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const url = route.url
        .replace(":personId", "P-NONE")
        .replace(":requestId", "00000000-0000-4000-8000-000000000000")
        .replace(":feed", "departure")
        .replace(":key", "DEP-1")
        .replace(":planId", "TP-NONE")
        .replace(":index", "0")
        .replace(":reviewId", "1")
        .replace(":username", "nobody")
        .replace(":id", "00000000-0000-4000-8000-000000000000");
      for (const contentType of OTHER_CONTENT_TYPES) {
        const response = await api.server.inject({
          method: route.method as "POST",
          url,
          headers: {
            ...authorizationFor(route),
            "content-type": contentType,
            "x-passage-purpose": "content type test",
          },
          payload: "{}",
        });
        const code = response.json()?.error?.code;
        if (response.statusCode !== 415 || code !== "PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE") {
          wrong.push(
            `${route.method} ${route.url} (${contentType}): ${response.statusCode} ${response.body}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("still takes JSON", async () => {
    const response = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username: "nobody", password: "wrong password" }),
    });
    expect(response.statusCode).toBe(401);
  });
});
