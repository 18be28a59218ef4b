import { ROLES, type Role } from "@passage/access";
import { createRowIngestor, todayUtc } from "@passage/engine";
import fc from "fast-check";
import type { RouteOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { mayPerformAction } from "../authentication/passage-authenticator.ts";
import type { RouteAccess } from "../route-access.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

/** Small counts in `npm test`; thousands under PASSAGE_SOAK=1 (`npm run soak`). */
const SOAK = process.env.PASSAGE_SOAK === "1";
const RUNS_PER_ROUTE = SOAK ? 300 : 12;
const FEED_RUNS = SOAK ? 400 : 15;
const PURPOSE = { "x-passage-purpose": "fuzzing" };

interface CollectedRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

let api: ApiTestApp;
const routes: CollectedRoute[] = [];
const tokens = new Map<Role, string>();
let requestId = "";
let stewardSession = "";

/** Plausible bodies of the operations, which the fuzzer mutates to reach past the schema. */
const TEMPLATES: Record<string, () => Record<string, unknown>> = {
  "/api/v1/auth/login": () => ({ username: "steward", password: "not the password" }),
  "/api/v1/auth/tokens": () => ({ name: "fuzz", lifetimeDays: 3 }),
  "/api/v1/worklist/:personId/override": () => ({ tier: 2, reason: "fuzz" }),
  "/api/v1/policies/check": () => ({ text: "id: x\nversion: 1\n", fileName: "x.yaml" }),
  "/api/v1/policies/diff": () => ({ after: { text: "id: x\n" } }),
  "/api/v1/policies/dry-run": () => ({ text: "id: x\n" }),
  "/api/v1/policies/activate": () => ({ text: "id: x\n", reason: "fuzz" }),
  "/api/v1/transport-plans": () => ({ from: "2030-01-01", to: "2030-01-05" }),
  "/api/v1/redress": () => ({
    personId: "P-FUZZ",
    kind: "other",
    statement: "fuzz",
    documents: [{ type: "passport", number: "X1", issuer: "MEX" }],
  }),
  "/api/v1/links/decisions": () => ({
    left: "admission:90000000077",
    right: "court:CE-77-1",
    decision: "cannot_link",
    reason: "fuzz",
  }),
  "/api/v1/reviews/:reviewId/decision": () => ({ outcome: "unsure", reason: "fuzz" }),
  "/api/v1/redress#departed": () => ({
    personId: "P-FUZZ",
    kind: "departed",
    statement: "fuzz",
    departureDate: "2024-01-15",
  }),
  "/api/v1/records/:feed/:key/unlink": () => ({ reason: "fuzz" }),
  "/api/v1/redress/:requestId/resolve": () => ({
    outcome: "granted",
    reason: "fuzz",
    corrections: [{ feed: "departure", row: { departure_id: "FZ-1" } }],
  }),
};

const jsonValue = fc.jsonValue({ maxDepth: 3 });
/** Values that printable fuzzing never makes: a NUL character (PostgreSQL stores none), dates that do not exist. */
const hostile = fc.constantFrom("\u0000", "a\u0000b", "2026-02-30", "2026-13-45", "9999-12-31");

/** A body: anything JSON, a template with a field replaced or added, or bytes that are not JSON. */
function bodies(url: string): fc.Arbitrary<{ raw: string }> {
  const template = TEMPLATES[url];
  const arbitraries: fc.Arbitrary<{ raw: string }>[] = [
    jsonValue.map((value) => ({ raw: JSON.stringify(value) })),
    fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
  ];
  if (template) {
    const keys = Object.keys(template());
    arbitraries.push(
      fc
        .tuple(fc.constantFrom(...keys, "extra"), fc.oneof(jsonValue, hostile))
        .map(([key, value]) => ({ raw: JSON.stringify({ ...template(), [key]: value }) })),
      fc.constantFrom(...keys).map((key) => {
        const body = template();
        delete body[key];
        return { raw: JSON.stringify(body) };
      }),
    );
  }
  return fc.oneof(...arbitraries);
}

const concrete = (url: string) =>
  url
    .replace(":personId", "P-FUZZ")
    .replace(":requestId", requestId)
    .replace(":feed", "departure")
    .replace(":key", "DEP-1")
    .replace(":planId", "TP-NONE")
    .replace(":index", "0")
    .replace(":reviewId", "1")
    .replace(":id", "00000000-0000-4000-8000-000000000000");

beforeAll(async () => {
  api = await createApiTestApp({
    onRoute: (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (route.url.startsWith("/api/") && method !== "HEAD") {
          routes.push({ method, url: route.url, access: route.config?.access });
        }
      }
    },
  });
  for (const role of ROLES) {
    if (role === "local_operator" || role === "consular_officer") continue;
    tokens.set(
      role,
      await api.userToken(userOf(role.replaceAll("_", "-"), role, { confidentialityNeeds: [] })),
    );
  }
  // A session, not a token, for the routes any signed-in user reaches: only a session issues tokens.
  stewardSession = (await api.app.access.accounts.createSession("data-steward")).token;
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "fuzz", maxDelayMs: 1 });
  await ingestPerson(api.app.store, ingestor, "P-FUZZ", removalCaseRows({ number: 77, asOf: todayUtc() }));
  await ingestor.close();
  const filed = await api.server.inject({
    method: "POST",
    url: "/api/v1/redress",
    headers: { authorization: `Bearer ${tokens.get("data_steward")}`, ...PURPOSE },
    payload: TEMPLATES["/api/v1/redress"]!(),
  });
  requestId = filed.json().request.requestId;
});

afterAll(async () => {
  await api.close();
});

/** A credential of a role the route admits (the guard is tested elsewhere: here the body must be reached). */
function authorizationFor(route: CollectedRoute): Record<string, string> {
  if (route.access === "public") return {};
  if (route.access === "signed-in") return { authorization: `Bearer ${stewardSession}` };
  const role = [...tokens.keys()].find((candidate) =>
    mayPerformAction(api.app.access, actorOf(candidate), (route.access as { action: string }).action),
  );
  return role ? { authorization: `Bearer ${tokens.get(role)}` } : {};
}

function actorOf(role: Role) {
  return {
    kind: "user" as const,
    id: role,
    roles: [role],
    office: "HQ",
    confidentialityNeeds: [],
    country: "",
  };
}

async function counts() {
  const { rows } = await api.app.store.pool.query(`SELECT
    (SELECT count(*)::int FROM redress_request) AS requests,
    (SELECT count(*)::int FROM redress_request q WHERE NOT EXISTS
       (SELECT 1 FROM redress_event e WHERE e.request_id = q.request_id AND e.step = 'filed')) AS requests_without_history,
    (SELECT count(*)::int FROM redress_request q WHERE q.claim_id IS NOT NULL AND NOT EXISTS
       (SELECT 1 FROM citizenship_claim c WHERE c.claim_id = q.claim_id)) AS claims_missing,
    (SELECT count(*)::int FROM redress_request WHERE status = 'resolved' AND NOT EXISTS
       (SELECT 1 FROM redress_event e WHERE e.request_id = redress_request.request_id AND e.step = 'resolved')) AS resolved_without_history,
    (SELECT count(*)::int FROM source_record) AS records`);
  return rows[0] as {
    requests: number;
    requests_without_history: number;
    claims_missing: number;
    resolved_without_history: number;
    records: number;
  };
}

describe("fuzzing every request body over HTTP", () => {
  it("never crashes, never answers 500 to bad input, and never leaves a half-written request", async () => {
    const withBodies = routes.filter((route) => ["POST", "PUT", "PATCH", "DELETE"].includes(route.method));
    expect(withBodies.length).toBeGreaterThan(15);
    let filed = 0;
    const before = await counts();
    for (const route of withBodies) {
      if (route.url === "/api/v1/feeds/:feed/records") continue; // fuzzed with NDJSON below
      await fc.assert(
        fc.asyncProperty(bodies(route.url), async ({ raw }) => {
          const response = await api.server.inject({
            method: route.method as "POST",
            url: concrete(route.url),
            headers: { ...authorizationFor(route), ...PURPOSE, "content-type": "application/json" },
            payload: raw,
          });
          expect(
            response.statusCode,
            `${route.method} ${route.url} ${raw.slice(0, 200)}: ${response.body.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (response.statusCode >= 400) expect(response.json().error.code).toMatch(/^PASSAGE_ERR_/);
          if (route.url === "/api/v1/redress" && response.statusCode === 201) filed++;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    // A departure claim's date, fuzzed on its own template (the route's other template files "other").
    await fc.assert(
      fc.asyncProperty(bodies("/api/v1/redress#departed"), async ({ raw }) => {
        const response = await api.server.inject({
          method: "POST",
          url: "/api/v1/redress",
          headers: {
            authorization: `Bearer ${tokens.get("data_steward")}`,
            ...PURPOSE,
            "content-type": "application/json",
          },
          payload: raw,
        });
        expect(response.statusCode, `${raw.slice(0, 200)}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
        if (response.statusCode === 201) filed++;
      }),
      {
        numRuns: RUNS_PER_ROUTE,
        examples: ["2026-02-30", "9999-12-31", "a\u0000b"].map((departureDate) => [
          { raw: JSON.stringify({ ...TEMPLATES["/api/v1/redress#departed"]!(), departureDate }) },
        ]),
      },
    );
    const after = await counts();
    expect(after.requests - before.requests).toBe(filed);
    expect(after.requests_without_history).toBe(0);
    expect(after.claims_missing).toBe(0);
    expect(after.resolved_without_history).toBe(0);
    expect((await api.server.inject("/api/v1/health")).statusCode).toBe(200);
  });
});

describe("unknown body fields", () => {
  it("refuses a field no operation knows, naming it, on every route that takes a body", async () => {
    const withBodies = routes.filter(
      (route) => route.method === "POST" && TEMPLATES[route.url] !== undefined && route.access !== "public",
    );
    expect(withBodies.length).toBeGreaterThan(10);
    for (const route of withBodies) {
      // A misspelt field (lifetimedays for lifetimeDays) must not be dropped silently.
      const response = await api.server.inject({
        method: "POST",
        url: concrete(route.url),
        headers: { ...authorizationFor(route), ...PURPOSE, "content-type": "application/json" },
        payload: { ...TEMPLATES[route.url]!(), unexpectedField: 1 },
      });
      expect(response.statusCode, `${route.url}: ${response.body.slice(0, 300)}`).toBe(400);
      expect(response.body, route.url).toContain("unexpectedField");
    }
    const login = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { ...TEMPLATES["/api/v1/auth/login"]!(), remember: true },
    });
    expect(login.statusCode).toBe(400);
    expect(login.body).toContain("remember");
  });
});

describe("hostile path parameters and query strings", () => {
  it("answers a NUL character in any parameter, and a date that does not exist, with a coded 4xx", async () => {
    const nulQuery = "q=A1%00&personId=%00&office=%00&actor=%00&status=%00";
    // One at a time: a check across two parameters (from <= to) would refuse the pair for another reason.
    const badDates = ["to=2026-13-45", "from=2026-02-30&as-of=2026-02-30"];
    for (const route of routes) {
      const withNul = route.url
        .replace(/:[A-Za-z]+/g, (name) => (name === ":feed" ? "departure" : "P-1%00"))
        .replace("*", "x%00");
      // A stream that would open with good parameters is only asked with bad ones.
      const opens = route.url.endsWith("/stream");
      const urls = [
        withNul,
        `${concrete(route.url)}?${nulQuery}`,
        ...badDates.map((query) => `${concrete(route.url)}?${query}`),
      ].filter((url) => !opens || url.includes("%00") || url.includes("to=2026-13-45"));
      for (const url of urls) {
        const response = await api.server.inject({
          method: route.method as "GET",
          url,
          headers: { ...authorizationFor(route), ...PURPOSE, "content-type": "application/json" },
          payload: route.method === "GET" || route.method === "DELETE" ? undefined : "{}",
        });
        expect(response.statusCode, `${route.method} ${url}: ${response.body.slice(0, 300)}`).toBeLessThan(
          500,
        );
        if (response.statusCode >= 400) expect(response.json().error.code).toMatch(/^PASSAGE_ERR_/);
      }
    }
  });
});

const departureRow = fc.record({
  departure_id: fc.stringMatching(/^DEP-[0-9]{1,4}$/),
  departure_date: fc.constantFrom("2024-01-15", "2024-02-30", "15/01/2024", ""),
  mode: fc.constantFrom("air", "land", "sea", "boat"),
  evidence: fc.constantFrom("carrier_manifest", "self_report", "telepathy"),
  reported_at: fc.constantFrom("2024-01-16T09:00:00Z", "yesterday"),
  family_name: fc.string({ maxLength: 20 }),
});

const ndjsonLine = fc.oneof(
  departureRow.map((row) => JSON.stringify(row)),
  departureRow.map((row) => JSON.stringify({ ...row, home_address: "12 Main St" })),
  departureRow.map((row) => JSON.stringify({ ...row, extra_column: "kept as provenance" })),
  jsonValue.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 80 }).filter((text) => !text.includes("\n")),
  fc.constant(""),
  // A line no feed row resembles: 20,000 nested objects (rejected as a line, never a 500).
  fc.constant(`${'{"notes":'.repeat(20_000)}1${"}".repeat(20_000)}`),
  departureRow.map((row) => JSON.stringify({ ...row, family_name: `${row.family_name}\u0000` })),
);

describe("fuzzing feed ingestion over HTTP", () => {
  it("answers every line, writes exactly what it reports, and stores no refused column", async () => {
    const steward = { authorization: `Bearer ${tokens.get("data_steward")}`, ...PURPOSE };
    await fc.assert(
      fc.asyncProperty(fc.array(ndjsonLine, { maxLength: 25 }), async (lines) => {
        const body = lines.join("\n");
        const before = await counts();
        const response = await api.server.inject({
          method: "POST",
          url: "/api/v1/feeds/departure/records?results=lines",
          headers: { ...steward, "content-type": "application/x-ndjson" },
          payload: body,
        });
        expect(response.statusCode, response.body).toBe(200);
        const results = response.body
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as { line: number; outcome: string });
        expect(results.length).toBe(lines.filter((line) => line.trim() !== "").length);
        const written = results.filter(
          (result) => result.outcome === "new" || result.outcome === "corrected",
        ).length;
        expect((await counts()).records - before.records).toBe(written);
        for (const [index, line] of lines.entries()) {
          if (!line.includes("home_address")) continue;
          const result = results.find((candidate) => candidate.line === index + 1);
          if (result) expect(["refused", "rejected"]).toContain(result.outcome);
        }
      }),
      { numRuns: FEED_RUNS },
    );
    const leaked = await api.app.store.pool.query(
      "SELECT count(*)::int AS count FROM source_record WHERE raw::jsonb ? 'home_address'",
    );
    expect(leaked.rows[0].count).toBe(0);
    const wrongType = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/departure/records",
      headers: { ...steward, "content-type": "application/json" },
      payload: "[]",
    });
    expect(wrongType.statusCode).toBe(415);
  });
});
