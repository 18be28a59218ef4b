import { expect, describe as group, it } from "vitest";
import { describe } from "./worker.ts";

group("the worker's stop summary", () => {
  it("counts refused messages (not JSON, a refused column) beside ingested and rejected rows", () => {
    const summary = describe({
      stoppedBy: "SIGTERM",
      partition: null,
      feeds: { received: 53, ingested: 48, rejected: 3, refused: 5 },
    });
    expect(summary).toBe("worker stopped (SIGTERM): rows ingested=48 rejected=3 messages refused=5");
  });
});
