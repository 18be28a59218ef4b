import { afterEach, describe, expect, it, vi } from "vitest";
import { apiRequest, apiUrl } from "./api-client.ts";
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
    expect((init.headers as Record<string, string>)[PURPOSE_HEADER]).toBe("Link review");
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
});
