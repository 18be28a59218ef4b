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

const PASSWORD = "correct horse battery staple";

let api: ApiTestApp;
let issuer: string;

beforeAll(async () => {
  // The provider's issuer is the address it listens on: take a free port for it first.
  issuer = await freeTestIssuer();
  api = await createApiTestApp();
  await api.app.access.accounts.createUser(userOf("officer", "removal_officer"), PASSWORD);
  await api.app.access.accounts.createUser(userOf("auditor", "auditor"), PASSWORD);
});

afterAll(async () => {
  await api.close();
});

function cookieOf(setCookie: string | string[] | undefined, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((cookie) => cookie.startsWith(`${name}=`));
}

describe("password sign-in, sessions and tokens", () => {
  let sessionCookie: string;

  it("refuses a wrong password with a coded 401 and sets no cookie", async () => {
    const response = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "officer", password: "wrong password!" },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("PASSAGE_ERR_AUTH_INVALID_CREDENTIALS");
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  it("signs in with a session cookie that is HttpOnly, SameSite=Strict and expires", async () => {
    const response = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "officer", password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = cookieOf(response.headers["set-cookie"], "passage_session")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; see the https case below
    sessionCookie = cookie.split(";")[0]!;
    expect(response.json()).toMatchObject({ user: { username: "officer", roles: ["removal_officer"] } });
  });

  it("describes the signed-in user: roles, permitted actions and UI sections", async () => {
    const me = await api.server.inject({ url: "/api/v1/auth/me", headers: { cookie: sessionCookie } });
    expect(me.statusCode).toBe(200);
    const body = me.json();
    expect(body.user).toMatchObject({
      username: "officer",
      displayName: "officer",
      office: "HQ",
      kind: "user",
    });
    expect(body.actions).toEqual(
      expect.arrayContaining(["person.read", "status.read", "worklist.read", "redress.file"]),
    );
    expect(body.actions).not.toContain("audit.read");
    expect(body.sections).toEqual(expect.arrayContaining(["search", "worklist", "redress"]));
    expect(body.sections).not.toContain("audit");
    expect(body.credential).toBe("session");
    expect((await api.server.inject("/api/v1/auth/me")).statusCode).toBe(401);
  });

  it("issues, lists and revokes the caller's own API tokens", async () => {
    const issued = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: { cookie: sessionCookie },
      payload: { name: "nightly export", lifetimeDays: 30 },
    });
    expect(issued.statusCode).toBe(201);
    const { id, token } = issued.json();
    expect(token).toMatch(/^pat_/);
    const viaToken = await api.server.inject({
      url: "/api/v1/auth/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.json()).toMatchObject({ user: { username: "officer" }, credential: "token" });
    // A token cannot issue tokens (a stolen one could renew itself for ever); the refusal is audited.
    const minted = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: { authorization: `Bearer ${token}` },
      payload: { name: "renewal" },
    });
    expect(minted.statusCode).toBe(403);
    expect(minted.json().error.code).toBe("PASSAGE_ERR_HTTP_TOKEN_NEEDS_SIGN_IN");
    const { rows } = await api.app.store.pool.query(
      `SELECT content::jsonb->>'decision' AS decision, content::jsonb->>'errorCode' AS code FROM audit_entry
        WHERE content::jsonb->>'action' = 'auth.token.create' ORDER BY sequence DESC LIMIT 1`,
    );
    expect(rows).toEqual([{ decision: "deny", code: "PASSAGE_ERR_HTTP_TOKEN_NEEDS_SIGN_IN" }]);
    const listed = await api.server.inject({
      url: "/api/v1/auth/tokens",
      headers: { cookie: sessionCookie },
    });
    expect(listed.json().tokens).toEqual([
      expect.objectContaining({ id, name: "nightly export", revokedAt: null }),
    ]);
    expect(JSON.stringify(listed.json())).not.toContain(token);
    // Listing one's own tokens is a read, and every read is audited.
    const { rows: listings } = await api.app.store.pool.query(
      `SELECT content::jsonb->>'actor' AS actor, content::jsonb->>'outcome' AS outcome FROM audit_entry
        WHERE content::jsonb->>'action' = 'auth.token.list' ORDER BY sequence DESC LIMIT 1`,
    );
    expect(listings).toEqual([{ actor: expect.stringMatching(/^user:/), outcome: "success" }]);
    // A session's token without a lifetime expires after 90 days, not never.
    const defaulted = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/tokens",
      headers: { cookie: sessionCookie },
      payload: { name: "no lifetime given" },
    });
    expect(defaulted.statusCode).toBe(201);
    const days = (Date.parse(defaulted.json().expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    await api.app.access.accounts.revokeApiToken(defaulted.json().id);

    const auditorToken = (await api.app.access.accounts.createApiToken("auditor", "theirs")).id;
    const foreign = await api.server.inject({
      method: "DELETE",
      url: `/api/v1/auth/tokens/${auditorToken}`,
      headers: { cookie: sessionCookie },
    });
    expect(foreign.statusCode).toBe(404);
    const revoked = await api.server.inject({
      method: "DELETE",
      url: `/api/v1/auth/tokens/${id}`,
      headers: { cookie: sessionCookie },
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      (await api.server.inject({ url: "/api/v1/auth/me", headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
  });

  it("signs out with no body at all: the session ends and its cookie is cleared", async () => {
    const out = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: sessionCookie, "content-length": "0" },
    });
    expect(out.statusCode).toBe(204);
    expect(cookieOf(out.headers["set-cookie"], "passage_session")).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(
      (await api.server.inject({ url: "/api/v1/auth/me", headers: { cookie: sessionCookie } })).statusCode,
    ).toBe(401);
    // Recorded as sign-in is: who signed out, and that a session ended.
    const again = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { cookie: sessionCookie, "content-length": "0" },
    });
    expect(again.statusCode).toBe(204);
    const { rows } = await api.app.store.pool.query(
      `SELECT content::jsonb->>'actor' AS actor, content::jsonb->>'outcome' AS outcome,
              content::jsonb->>'errorCode' AS code FROM audit_entry
        WHERE content::jsonb->>'action' = 'auth.logout' ORDER BY sequence`,
    );
    expect(rows).toEqual([
      { actor: "user:officer", outcome: "success", code: null },
      // The session had ended already: nothing to sign out of, recorded as a failure.
      { actor: "anonymous", outcome: "failure", code: "PASSAGE_ERR_HTTP_UNAUTHENTICATED" },
    ]);
  });

  it("signs out a session presented as Authorization: Bearer pss_..., not only as the cookie", async () => {
    const signedIn = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: "officer", password: PASSWORD },
    });
    const secret = cookieOf(signedIn.headers["set-cookie"], "passage_session")!.split(";")[0]!.split("=")[1]!;
    const authorization = `Bearer ${secret}`;
    expect((await api.server.inject({ url: "/api/v1/auth/me", headers: { authorization } })).statusCode).toBe(
      200,
    );
    const out = await api.server.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { authorization },
    });
    expect(out.statusCode).toBe(204);
    expect((await api.server.inject({ url: "/api/v1/auth/me", headers: { authorization } })).statusCode).toBe(
      401,
    );
  });

  it("marks the cookie Secure when served over https", async () => {
    const secure = await createPassageServer(api.app, {
      logLevel: "silent",
      webDirectory: null,
      secureCookies: true,
    });
    try {
      const response = await secure.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "officer", password: PASSWORD },
      });
      expect(cookieOf(response.headers["set-cookie"], "passage_session")).toMatch(/Secure/);
    } finally {
      await secure.close();
    }
  });

  it("limits password guessing per address more strictly than other calls", async () => {
    let limited: { statusCode: number; json(): { error: { code: string } } } | undefined;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      const response = await api.server.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "officer", password: "guess guess guess" },
      });
      if (response.statusCode === 429) limited = response;
    }
    expect(limited?.json().error.code).toBe("PASSAGE_ERR_HTTP_RATE_LIMITED");
  });
});

describe("OpenID Connect sign-in", () => {
  it("signs in through a real provider (authorization code + PKCE) and maps claims to roles", async () => {
    const listening = await startTestProvider(issuer, (id) =>
      id === "no-role"
        ? { preferred_username: "oidc.norole", name: "No Role", roles: ["visitors"] }
        : { preferred_username: "oidc.officer", name: "OIDC Officer", roles: ["ero-officers", "staff"] },
    );
    const server = await createPassageServer(api.app, {
      logLevel: "silent",
      webDirectory: null,
      oidc: {
        issuer,
        ...TEST_OIDC_CLIENT,
        redirectUri: REDIRECT_URI,
        roleMapping: { "ero-officers": ["removal_officer"] },
        allowInsecure: true,
      },
    });
    try {
      const signIn = async (account: string) => {
        const started = await server.inject({ url: "/api/v1/auth/oidc/login?returnTo=/worklist" });
        expect(started.statusCode).toBe(302);
        const binding = cookieOf(started.headers["set-cookie"], "passage_oidc")!.split(";")[0]!;
        expect(cookieOf(started.headers["set-cookie"], "passage_oidc")).toMatch(/SameSite=Lax/);
        const authorize = new URL(String(started.headers.location));
        expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
        const callback = await walkProvider(authorize.href, account);
        return server.inject({ url: `${callback.pathname}${callback.search}`, headers: { cookie: binding } });
      };

      const done = await signIn("officer-1");
      expect(done.statusCode, done.body).toBe(302);
      expect(done.headers.location).toBe("/worklist");
      const session = cookieOf(done.headers["set-cookie"], "passage_session")!.split(";")[0]!;
      const me = await server.inject({ url: "/api/v1/auth/me", headers: { cookie: session } });
      expect(me.json().user).toMatchObject({
        username: "oidc.officer",
        displayName: "OIDC Officer",
        roles: ["removal_officer"],
      });
      expect((await api.app.access.accounts.getUserOrThrow("oidc.officer")).hasPassword).toBe(false);

      const refused = await signIn("no-role");
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_NO_ROLE");

      const replayed = await server.inject({ url: "/api/v1/auth/oidc/callback?code=x&state=forged" });
      expect(replayed.json().error.code).toBe("PASSAGE_ERR_AUTH_OIDC_FAILED");
    } finally {
      await server.close();
      listening.close();
    }
  });
});
