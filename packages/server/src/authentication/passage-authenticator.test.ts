import type { Access, Actor } from "@passage/access";
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_CACHE_MS,
  CREDENTIAL_REFRESH_AHEAD_MS,
  createPassageAuthenticator,
  RECOGNISED_CREDENTIAL_MS,
} from "./passage-authenticator.ts";

const TOKEN = "pat_secret";
const OFFICER = { id: "officer", roles: ["removal_officer"], office: "HQ" } as unknown as Actor;

/** Accounts whose token checks the test answers one by one, and a clock the test moves. */
function fixture() {
  const checks: { settle: (actor: Actor | Error) => void }[] = [];
  const accounts = {
    authenticateToken: () =>
      new Promise<Actor>((resolve, reject) => {
        checks.push({ settle: (answer) => (answer instanceof Error ? reject(answer) : resolve(answer)) });
      }),
  };
  let clock = 1_000_000;
  const authenticator = createPassageAuthenticator({ accounts } as unknown as Access, { now: () => clock });
  const request = () =>
    ({
      headers: { authorization: `Bearer ${TOKEN}` },
      id: "request",
      cookies: {},
    }) as unknown as FastifyRequest;
  return {
    authenticator,
    checks,
    request,
    authenticate: () => authenticator.authenticate(request()),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

/** Lets settled checks' callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("createPassageAuthenticator", () => {
  it("checks a credential once while it is trusted, well before the end of its trust", async () => {
    const { checks, authenticate, advance } = fixture();
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    expect(await first).toBe(OFFICER);
    advance(CREDENTIAL_CACHE_MS - CREDENTIAL_REFRESH_AHEAD_MS - 1);
    expect(await authenticate()).toBe(OFFICER);
    expect(checks).toHaveLength(1);
  });

  it("checks again in the background near the end of the trust, without the request waiting, once", async () => {
    const { checks, authenticate, advance } = fixture();
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    await first;
    advance(CREDENTIAL_CACHE_MS - CREDENTIAL_REFRESH_AHEAD_MS);
    // The background check is still unanswered: both requests go on under the trust they have.
    expect(await authenticate()).toBe(OFFICER);
    expect(await authenticate()).toBe(OFFICER);
    expect(checks).toHaveLength(2);
    const renewed = { ...OFFICER, id: "renewed" } as Actor;
    checks[1]!.settle(renewed);
    await settle();
    // The new answer is trusted from when its check started, not from the first check.
    advance(CREDENTIAL_REFRESH_AHEAD_MS + 1);
    expect(await authenticate()).toBe(renewed);
    expect(checks).toHaveLength(2);
    advance(CREDENTIAL_CACHE_MS);
    const later = authenticate();
    expect(checks).toHaveLength(3);
    checks[2]!.settle(OFFICER);
    expect(await later).toBe(OFFICER);
  });

  it("makes the next request check for itself when the background check refuses the credential", async () => {
    const { checks, authenticate, advance } = fixture();
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    await first;
    advance(CREDENTIAL_CACHE_MS - 1);
    expect(await authenticate()).toBe(OFFICER);
    checks[1]!.settle(new Error("revoked"));
    await settle();
    const refused = authenticate();
    expect(checks).toHaveLength(3);
    checks[2]!.settle(new Error("revoked"));
    await expect(refused).rejects.toThrow("revoked");
  });

  it("does not trust an answer given before the credential was forgotten", async () => {
    const { authenticator, checks, authenticate, advance } = fixture();
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    await first;
    advance(CREDENTIAL_CACHE_MS - 1);
    await authenticate();
    authenticator.forget(TOKEN);
    checks[1]!.settle(OFFICER);
    await settle();
    const next = authenticate();
    expect(checks).toHaveLength(3);
    // A check under way when the credential is forgotten does not cache its answer either.
    authenticator.forget();
    checks[2]!.settle(OFFICER);
    await next;
    void authenticate();
    expect(checks).toHaveLength(4);
  });

  it("makes a request wait for the check once the trust has ended", async () => {
    const { checks, authenticate, advance } = fixture();
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    await first;
    advance(CREDENTIAL_CACHE_MS);
    let answered = false;
    const waiting = authenticate().then((actor) => {
      answered = true;
      return actor;
    });
    await settle();
    expect(answered).toBe(false);
    checks[1]!.settle(OFFICER);
    expect(await waiting).toBe(OFFICER);
  });

  it("recognises a credential found valid (for a day), never one refused, without checking it", async () => {
    const { authenticator, checks, request, authenticate, advance } = fixture();
    expect(authenticator.recognises?.(request())).toBe(false);
    const first = authenticate();
    checks[0]!.settle(OFFICER);
    await first;
    expect(authenticator.recognises?.(request())).toBe(true);
    expect(checks).toHaveLength(1);
    advance(RECOGNISED_CREDENTIAL_MS + 1);
    expect(authenticator.recognises?.(request())).toBe(false);
    // Refused on its next check: no longer recognised.
    authenticator.recognise(TOKEN);
    expect(authenticator.recognises?.(request())).toBe(true);
    const refused = authenticate();
    checks[1]!.settle(new Error("revoked"));
    await expect(refused).rejects.toThrow("revoked");
    expect(authenticator.recognises?.(request())).toBe(false);
  });
});
