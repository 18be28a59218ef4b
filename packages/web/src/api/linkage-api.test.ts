import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchReviews, REVIEW_PAGE_SIZE } from "./linkage-api.ts";

function reviewsAnswer(count: number, from: number): Response {
  const reviews = Array.from({ length: count }, (_, index) => ({ reviewId: String(from + index) }));
  return new Response(JSON.stringify({ reviews }), { headers: { "content-type": "application/json" } });
}

describe("fetchReviews", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("reads the open queue page after page, so every pair is counted and reachable", async () => {
    const open = REVIEW_PAGE_SIZE + 266;
    const fetchSpy = vi.fn(async (url: string) => {
      const query = new URL(url, "http://passage.test").searchParams;
      const offset = Number(query.get("offset") ?? 0);
      return reviewsAnswer(Math.max(0, Math.min(Number(query.get("limit")), open - offset)), offset);
    });
    vi.stubGlobal("fetch", fetchSpy);
    const queue = await fetchReviews("Link review");
    expect(queue.items).toHaveLength(open);
    expect(queue.items.at(-1)?.reviewId).toBe(String(open - 1));
    expect(queue.more).toBe(false);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(new URL(fetchSpy.mock.calls[0]![0], "http://passage.test").searchParams.get("status")).toBe(
      "open",
    );
  });
});
