import type { Server } from "node:http";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPassageServer } from "../create-passage-server.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";
import {
  freeTestIssuer,
  TEST_OIDC_REDIRECT_URI as REDIRECT_URI,
  startTestProvider,
  TEST_OIDC_CLIENT,
  walkProvider,
} from "../testing/oidc-test-provider.ts";
import { MAX_PENDING_PER_ADDRESS } from "./oidc-login.ts";

/** The provider's accounts by login id: their claims, changed by the tests as a provider would. */
const accounts = new Map<string, Record<string, unknown>>();

let api: ApiTestApp;
let issuer: string;
let listening: Server;
let server: FastifyInstance;

beforeAll(async () => {
  issuer = await freeTestIssuer();
  api = await createApiTestApp();
  // A local password account, with a confidentiality need set by an administrator.
  await api.app.access.accounts.createUser(
    userOf("supervisor", "supervisor", { confidentialityNeeds: ["asylum"] }),
    "correct horse battery staple",
  );
  listening = await startTestProvider(issuer, (id) => accounts.get(id) ?? {});
  server = await createPassageServer(api.app, {
    logLevel: "silent",
    webDirectory: null,
    oidc: {
      issuer,
      ...TEST_OIDC_CLIENT,
      redirectUri: REDIRECT_URI,
      roleMapping: { ero: ["removal_officer"], sup: ["supervisor"], audit: ["auditor"] },
      allowInsecure: true,
    },
  });
});

afterAll(async () => {
  await server?.close();
  listening?.close();
  await api.close();
});

function cookieOf(setCookie: string | string[] | undefined, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((cookie) => cookie.startsWith(`${name}=`))?.split(";")[0];
}

async function signIn(account: string, returnTo = "/worklist") {
  const started = await server.inject({
    url: `/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
  });
  expect(started.statusCode, started.body).toBe(302);
  const binding = cookieOf(started.headers["set-cookie"], "passage_oidc")!;
  const callback = await walkProvider(String(started.headers.location), account);
  return server.inject({ url: `${callback.pathname}${callback.search}`, headers: { cookie: binding } });
}

async function auditOf(action: string) {
  const { rows } = await api.app.store.pool.query(
    `SELECT content::jsonb AS entry FROM audit_entry WHERE content::jsonb->>'action' = $1 ORDER BY sequence`,
    [action],
  );
  return rows.map((row) => row.entry);
}

describe("OpenID Connect sign-in against a provider that follows the specification", () => {
  it("reads the claims the ID token lacks from UserInfo, creates a user bound to the subject and audits it", async () => {
    accounts.set("sub-alice", { preferred_username: "alice", name: "Alice A", roles: ["ero", "staff"] });
    const done = await signIn("sub-alice");
    expect(done.statusCode, done.body).toBe(302);
    expect(done.headers.location).toBe("/worklist");
    const alice = await api.app.access.accounts.getUserOrThrow("alice");
    expect(alice).toMatchObject({ displayName: "Alice A", roles: ["removal_officer"], hasPassword: false });
    expect(alice.attributes).toEqual({ oidc: issuer, oidcSubject: "sub-alice" });
    expect(await auditOf("user.write")).toContainEqual(
      expect.objectContaining({
        actor: "user:alice",
        resourceId: "alice",
        decision: "allow",
        details: expect.objectContaining({ change: "created", source: "oidc", roles: ["removal_officer"] }),
      }),
    );
  });

  it("never takes over a local account with the provider's username, and audits the refusal", async () => {
    accounts.set("sub-intruder", { preferred_username: "supervisor", name: "Not Them", roles: ["ero"] });
    const refused = await signIn("sub-intruder");
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_ACCOUNT_CONFLICT");
    expect(refused.json().error.message).toMatch(/local password account/);
    expect(cookieOf(refused.headers["set-cookie"], "passage_session")).toBeUndefined();
    const local = await api.app.access.accounts.getUserOrThrow("supervisor");
    expect(local).toMatchObject({
      roles: ["supervisor"],
      confidentialityNeeds: ["asylum"],
      hasPassword: true,
    });
    expect((await auditOf("auth.oidc")).at(-1)).toMatchObject({
      actor: "anonymous",
      resourceId: "supervisor",
      decision: "deny",
      outcome: "failure",
      errorCode: "PASSAGE_ERR_AUTH_OIDC_ACCOUNT_CONFLICT",
    });
    // Nor an account bound to another subject of the provider.
    accounts.set("sub-alice-2", { preferred_username: "alice", roles: ["audit"] });
    const other = await signIn("sub-alice-2");
    expect(other.statusCode).toBe(409);
    expect(other.json().error.message).toMatch(/another provider identity/);
    expect((await api.app.access.accounts.getUserOrThrow("alice")).roles).toEqual(["removal_officer"]);
  });

  it("follows the subject, not the username: a renamed user at the provider is still the same account", async () => {
    accounts.set("sub-alice", {
      preferred_username: "alice.renamed",
      name: "Alice A",
      roles: ["ero", "sup"],
    });
    const done = await signIn("sub-alice");
    expect(done.statusCode, done.body).toBe(302);
    const session = cookieOf(done.headers["set-cookie"], "passage_session")!;
    const me = await server.inject({ url: "/api/v1/auth/me", headers: { cookie: session } });
    expect(me.json().user).toMatchObject({ username: "alice", roles: ["removal_officer", "supervisor"] });
    await expect(api.app.access.accounts.getUserOrThrow("alice.renamed")).rejects.toThrow();
    expect((await auditOf("user.write")).at(-1)).toMatchObject({
      resourceId: "alice",
      details: expect.objectContaining({
        change: "updated",
        roles: ["removal_officer", "supervisor"],
        previousRoles: ["removal_officer"],
      }),
    });
  });

  it("disables the account when the provider revokes every role: its sessions and tokens stop working", async () => {
    accounts.set("sub-bob", { preferred_username: "bob", roles: ["audit"] });
    const first = await signIn("sub-bob");
    expect(first.statusCode, first.body).toBe(302);
    const session = cookieOf(first.headers["set-cookie"], "passage_session")!;
    const { token } = await api.app.access.accounts.createApiToken("bob", "script");
    expect((await server.inject({ url: "/api/v1/auth/me", headers: { cookie: session } })).statusCode).toBe(
      200,
    );

    accounts.set("sub-bob", { preferred_username: "bob", roles: ["visitors"] });
    const refused = await signIn("sub-bob");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_NO_ROLE");
    expect((await server.inject({ url: "/api/v1/auth/me", headers: { cookie: session } })).statusCode).toBe(
      401,
    );
    expect(
      (await server.inject({ url: "/api/v1/auth/me", headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    expect((await api.app.access.accounts.getUserOrThrow("bob")).disabled).toBe(true);
    expect((await auditOf("user.write")).at(-1)).toMatchObject({
      resourceId: "bob",
      details: expect.objectContaining({ change: "disabled", reason: "no-role" }),
    });
    expect((await auditOf("auth.oidc")).at(-1)).toMatchObject({
      resourceId: "bob",
      decision: "deny",
      errorCode: "PASSAGE_ERR_AUTH_OIDC_NO_ROLE",
    });

    // Granted a role again, the account is enabled again; an administrator's disabling is not undone.
    accounts.set("sub-bob", { preferred_username: "bob", roles: ["audit"] });
    expect((await signIn("sub-bob")).statusCode).toBe(302);
    expect((await api.app.access.accounts.getUserOrThrow("bob")).disabled).toBe(false);
    await api.app.access.accounts.setDisabled("bob", true);
    const disabled = await signIn("sub-bob");
    expect(disabled.statusCode).toBe(403);
    expect(disabled.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_ACCOUNT_DISABLED");
  });

  it("audits refused callbacks: a replayed or forged state", async () => {
    const replayed = await server.inject({ url: "/api/v1/auth/oidc/callback?code=x&state=forged" });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_FAILED");
    expect((await auditOf("auth.oidc")).at(-1)).toMatchObject({
      actor: "anonymous",
      decision: "deny",
      outcome: "failure",
      errorCode: "PASSAGE_ERR_AUTH_OIDC_FAILED",
    });
  });

  it("returns to a path beyond ASCII percent-encoded, and to / for one with a control character", async () => {
    accounts.set("sub-carol", { preferred_username: "carol", roles: ["ero"] });
    const accented = await signIn("sub-carol", "/personnes/café?q=ü");
    expect(accented.statusCode, accented.body).toBe(302);
    expect(accented.headers.location).toBe("/personnes/caf%C3%A9?q=%C3%BC");
    const control = await signIn("sub-carol", "/worklist\u0001x");
    expect(control.statusCode, control.body).toBe(302);
    expect(control.headers.location).toBe("/");
  });

  it("caps the sign-ins in progress per address, answering 503 with a code when full", async () => {
    const start = (remoteAddress: string) => server.inject({ url: "/api/v1/auth/oidc/login", remoteAddress });
    for (let attempt = 0; attempt < MAX_PENDING_PER_ADDRESS; attempt++)
      expect((await start("203.0.113.9")).statusCode).toBe(302);
    const full = await start("203.0.113.9");
    expect(full.statusCode).toBe(503);
    expect(full.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_BUSY");
    // Other addresses still sign in.
    expect((await start("203.0.113.10")).statusCode).toBe(302);
  });
});

describe("the sign-in methods", () => {
  it("name the provider when OpenID Connect is configured, and null when not", async () => {
    const configured = await server.inject("/api/v1/auth/methods");
    expect(configured.statusCode).toBe(200);
    expect(configured.json()).toEqual({
      password: true,
      oidc: { providerName: new URL(issuer).host, loginPath: "/api/v1/auth/oidc/login" },
    });
    expect((await api.server.inject("/api/v1/auth/methods")).json()).toEqual({ password: true, oidc: null });
  });
});

describe("the OpenAPI document of the OpenID Connect routes", () => {
  it("documents the redirects, the callback's query and the refusals", async () => {
    const { paths } = (await server.inject("/api/v1/openapi.json")).json();
    const login = paths["/api/v1/auth/oidc/login"].get;
    const callback = paths["/api/v1/auth/oidc/callback"].get;
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(["302", "404", "503"]));
    expect(login.responses["200"]).toBeUndefined();
    expect(Object.keys(callback.responses)).toEqual(
      expect.arrayContaining(["302", "401", "403", "404", "409"]),
    );
    expect(callback.responses["200"]).toBeUndefined();
    expect(callback.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(["code", "state", "iss"]),
    );
    expect(JSON.stringify(callback.parameters)).not.toContain("propertyNames");
  });
});
