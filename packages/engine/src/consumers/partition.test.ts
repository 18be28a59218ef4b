import { describe, expect, it } from "vitest";
import { consumerNameOf, parsePartitionOrThrow, partitionsOf, WHOLE_OUTBOX } from "./partition.ts";

describe("parsePartitionOrThrow", () => {
  it("reads I/N", () => {
    expect(parsePartitionOrThrow("3/8")).toEqual({ index: 3, count: 8 });
    expect(parsePartitionOrThrow(" 0/1 ")).toEqual({ index: 0, count: 1 });
  });

  it.each(["8/8", "1/0", "-1/4", "a/b", "3", "3/", "/8", "2/2000", "1.5/4"])(
    "refuses %s naming it",
    (text) => {
      expect(() => parsePartitionOrThrow(text)).toThrow(
        expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_PARTITION_INVALID" }),
      );
      expect(() => parsePartitionOrThrow(text)).toThrow(`"${text}"`);
    },
  );
});

describe("consumerNameOf", () => {
  it("uses the bare handler name for the whole outbox and name#I/N for a partition", () => {
    expect(consumerNameOf("lifecycle", WHOLE_OUTBOX)).toBe("lifecycle");
    expect(consumerNameOf("lifecycle", { index: 3, count: 8 })).toBe("lifecycle#3/8");
  });
});

describe("partitionsOf", () => {
  it("lists every partition of a layout", () => {
    expect(partitionsOf(3)).toEqual([
      { index: 0, count: 3 },
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ]);
    expect(() => partitionsOf(0)).toThrow(
      expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_PARTITION_INVALID" }),
    );
  });
});
