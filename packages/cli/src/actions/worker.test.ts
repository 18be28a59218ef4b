import { expect, describe as group, it } from "vitest";
import { describe, listOf } from "./worker.ts";

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

group("comma-separated worker options", () => {
  it("refuses an explicit list naming nothing instead of taking it as every handler", () => {
    for (const text of [",", "", " , ,"]) {
      expect(() => listOf(text, "--handlers")).toThrow(
        expect.objectContaining({
          code: "PASSAGE_ERR_CLI_USAGE",
          message: expect.stringMatching(/^--handlers names nothing/),
        }),
      );
    }
  });

  it("reads a list, and an option not given as none", () => {
    expect(listOf(" lifecycle, ,worklist ", "--handlers")).toEqual(["lifecycle", "worklist"]);
    expect(listOf(undefined, "--handlers")).toBeUndefined();
  });
});
