import { afterEach, describe, expect, it, vi } from "vitest";
import { apiRequest, apiUrl, onSessionEnded, utf8HeaderValue } from "./api-client.ts";
import { ApiError } from "./api-error.ts";
import { PURPOSE_HEADER } from "./purpose-of-use.ts";

describe("apiUrl", () => {
  it("prefixes /api/v1 and leaves out empty query values", () => {
    expect(apiUrl("/persons", { q: "ana maria", page: 2, tier: undefined, office: "" })).toBe(
      "/api/v1/persons?q=ana+maria&page=2",
    );
    expect(apiUrl("/persons", { id: ["a", "b"] })).toBe("/api/v1/persons?id=a&id=b");
  });
});

describe("apiRequest", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends the purpose of use and JSON, and reads JSON back", async () => {
    const fetchSpy = vi.fn(
      async () => new Response('{"ok":true}', { headers: { "content-type": "application/json" } }),
    );
    vi.stubGlobal("fetch", fetchSpy);
    const answer = await apiRequest<{ ok: boolean }>("POST", "/links/l1/decision", {
      body: { decision: "accept" },
      purpose: "Link review",
    });
    expect(answer).toEqual({ ok: true });
    const [url, init] = fetchSpy.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/links/l1/decision");
    expect(new Headers(init.headers).get(PURPOSE_HEADER)).toBe("Link review");
    expect(init.body).toBe('{"decision":"accept"}');
  });

  it("turns an error body into an ApiError with the server's code", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        async () =>
          new Response(
            '{"error":{"code":"PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED","message":"state a purpose of use"}}',
            {
              status: 400,
              headers: { "content-type": "application/json" },
            },
          ),
      ),
    );
    const failure = await apiRequest("GET", "/persons/p1").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe("PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED");
    expect((failure as ApiError).message).toBe("State a purpose of use.");
  });

  it("reports an unreachable server as such", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const failure = (await apiRequest("GET", "/auth/me").catch((error: unknown) => error)) as ApiError;
    expect(failure.status).toBe(0);
    expect(failure.message).toMatch(/could not be reached/);
  });

  it("sends a purpose outside Latin-1 as its UTF-8 bytes, which the server decodes back", async () => {
    const fetchSpy = vi.fn(async (_url: string, _init: RequestInit) => new Response(""));
    vi.stubGlobal("fetch", fetchSpy);
    const purpose = "Проверка – officer’s review";
    await apiRequest("GET", "/persons/p1", { purpose });
    const sent = new Headers(fetchSpy.mock.calls[0]![1].headers).get(PURPOSE_HEADER)!;
    // What the server's purpose-header plugin does: the latin1 string's bytes read as UTF-8.
    expect(new TextDecoder().decode(Uint8Array.from(sent, (character) => character.charCodeAt(0)))).toBe(
      purpose,
    );
    expect(utf8HeaderValue("Case review")).toBe("Case review");
  });

  it("names a purpose the browser cannot send, instead of calling it a network failure", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("")),
    );
    const failure = (await apiRequest("GET", "/persons/p1", { purpose: "line one\nline two" }).catch(
      (error: unknown) => error,
    )) as ApiError;
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.code).toBe("CLIENT_BAD_HEADER");
    expect(failure.message).toMatch(/purpose of use/);
    expect(failure.message).not.toMatch(/could not be reached/);
  });

  it("ends the session on a 401 from a signed-in call, but not on a wrong password", async () => {
    const unauthenticated = () =>
      new Response(
        '{"error":{"code":"PASSAGE_ERR_HTTP_UNAUTHENTICATED","message":"sign in or present an API token"}}',
        {
          status: 401,
          headers: { "content-type": "application/json" },
        },
      );
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => unauthenticated()),
    );
    const ended = vi.fn();
    const unsubscribe = onSessionEnded(ended);
    try {
      const failure = (await apiRequest("GET", "/worklists").catch((error: unknown) => error)) as ApiError;
      expect(ended).toHaveBeenCalledTimes(1);
      expect(failure.message).toBe("Your session has ended. Sign in again.");
      await apiRequest("POST", "/auth/login", { body: {} }).catch(() => undefined);
      await apiRequest("GET", "/auth/me").catch(() => undefined);
      expect(ended).toHaveBeenCalledTimes(1);
    } finally {
      unsubscribe();
    }
  });
});
