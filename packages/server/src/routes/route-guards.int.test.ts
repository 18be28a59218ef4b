import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ACTIONS, ROLES, type Role } from "@passage/access";
import type { RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mayPerformAction } from "../authentication/passage-authenticator.ts";
import type { RouteAccess } from "../route-access.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

/** CLI.md "HTTP": public without a session — openapi.json, health, metrics, auth/*, reports. */
const PUBLIC_PATHS = /^\/api\/v1\/(openapi\.json|health|metrics|auth\/.+|reports(\/.*)?)$/;
const SAMPLE_PARAMS: Record<string, string> = {
  personId: "P-NOBODY",
  feed: "departure",
  key: "D-1",
  planId: "TP-1",
  requestId: "RR-1",
  index: "0",
  reviewId: "1",
  id: "00000000-0000-4000-8000-000000000000",
};

interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

let api: ApiTestApp;
const routes: CollectedRoute[] = [];
const tokens = new Map<Role, string>();

beforeAll(async () => {
  api = await createApiTestApp({
    onRoute: (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (route.url.startsWith("/api/"))
          routes.push({ method, url: route.url, access: route.config?.access });
      }
    },
  });
  for (const role of ROLES) {
    if (role === "local_operator") continue;
    const username = role.replaceAll("_", "-");
    tokens.set(
      role,
      await api.userToken(
        userOf(username, role, role === "consular_officer" ? { country: "MEX", office: "" } : {}),
      ),
    );
  }
});

afterAll(async () => {
  await api.close();
});

function concrete(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_match, name: string) => SAMPLE_PARAMS[name] ?? "x");
}

/** An unparseable body: the answer must come before anything reads it. */
function badBody(method: string) {
  return ["POST", "PUT", "PATCH", "DELETE"].includes(method)
    ? { headers: { "content-type": "application/json" }, payload: "{not json" }
    : {};
}

describe("every API route denies by default", () => {
  it("collected the API's routes, each with a declared access", () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) expect(route.access, `${route.method} ${route.url}`).toBeDefined();
  });

  it("is public only where CLI.md says, and signed-in only for the caller's own account", () => {
    for (const route of routes) {
      if (route.access === "public") expect(route.url, `${route.method} ${route.url}`).toMatch(PUBLIC_PATHS);
      if (route.access === "signed-in") expect(route.url).toMatch(/^\/api\/v1\/auth\//);
    }
    const publicUrls = new Set(routes.filter((route) => route.access === "public").map((route) => route.url));
    for (const url of [
      "/api/v1/openapi.json",
      "/api/v1/health",
      "/api/v1/metrics",
      "/api/v1/auth/login",
      "/api/v1/reports",
    ]) {
      expect(publicUrls).toContain(url);
    }
  });

  it("answers an anonymous caller 401 on every non-public route, before reading the body", async () => {
    const guarded = routes.filter((route) => route.access !== "public");
    expect(guarded.length).toBeGreaterThan(25);
    for (const route of guarded) {
      const response = await api.server.inject({
        method: route.method as "GET",
        url: concrete(route.url),
        ...badBody(route.method),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      if (route.method !== "HEAD")
        expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_UNAUTHENTICATED");
    }
  });

  it("answers a signed-in caller whose role lacks the route's action 403, before reading the body", async () => {
    const actionRoutes = routes.filter(
      (route): route is CollectedRoute & { access: { action: string } } => typeof route.access === "object",
    );
    for (const route of actionRoutes) {
      expect(Object.keys(ACTIONS), route.url).toContain(route.access.action);
      const denied = [...tokens.keys()].find(
        (role) => !mayPerformAction(api.app.access, actorOfRole(role), route.access.action),
      );
      expect(denied, `some role must be refused ${route.access.action}`).toBeDefined();
      const response = await api.server.inject({
        method: route.method as "GET",
        url: concrete(route.url),
        ...badBody(route.method),
        headers: { ...badBody(route.method).headers, authorization: `Bearer ${tokens.get(denied!)}` },
      });
      expect(response.statusCode, `${route.method} ${route.url} as ${denied}`).toBe(403);
      if (route.method !== "HEAD") {
        expect(response.json().error).toMatchObject({
          code: "PASSAGE_ERR_HTTP_FORBIDDEN",
          details: { action: route.access.action },
        });
      }
    }
  });

  it("lists every operation in the OpenAPI 3.1 document", async () => {
    const document = (await api.server.inject("/api/v1/openapi.json")).json();
    expect(document.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect(document.security).toEqual([{ session: [] }, { token: [] }]);
    for (const route of routes) {
      if (route.method === "HEAD") continue;
      const path = route.url.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(documented, `${route.method} ${route.url}`).toContain(`${route.method} ${path}`);
      // Public routes say they need no credentials; every other one keeps the document's default.
      const operation = document.paths[path][route.method.toLowerCase()];
      if (route.access === "public") expect(operation.security, route.url).toEqual([]);
      else expect(operation.security, route.url).toBeUndefined();
    }
  });
});

describe("packages/server/README.md", () => {
  it("lists every route with the access it declares", () => {
    const readme = fs.readFileSync(
      path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../README.md"),
      "utf8",
    );
    // Table rows: `GET|POST /path?query` (description) ... | access |; a path's {param} names are
    // free, and routes named inside a description do not count.
    const listed = new Map<string, string>();
    for (const line of readme.split("\n")) {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      if (cells.length < 4) continue;
      const access = cells[cells.length - 2]!.replaceAll("`", "");
      for (const [, methods, url] of cells[1]!
        .replace(/\([^)]*\)/g, "")
        .matchAll(/`((?:[A-Z]+\\?\|)*[A-Z]+) (\/[^`?\s]*)/g)) {
        for (const method of methods!.split(/\\?\|/)) {
          listed.set(`${method} ${url!.replace(/\{[A-Za-z]+\}/g, "{}")}`, access);
        }
      }
    }
    const missing: string[] = [];
    for (const route of routes) {
      if (route.method === "HEAD") continue;
      const key = `${route.method} ${route.url.replace(/^\/api\/v1/, "").replace(/:[A-Za-z]+/g, "{}")}`;
      const access = typeof route.access === "object" ? route.access.action : (route.access ?? "(none)");
      if (listed.get(key) !== access)
        missing.push(`${key} (${access}; README: ${listed.get(key) ?? "absent"})`);
    }
    expect(missing).toEqual([]);
  });
});

function actorOfRole(role: Role) {
  return {
    kind: "user" as const,
    id: role.replaceAll("_", "-"),
    roles: [role],
    office: role === "consular_officer" ? "" : "HQ",
    confidentialityNeeds: [],
    country: role === "consular_officer" ? "MEX" : "",
  };
}
