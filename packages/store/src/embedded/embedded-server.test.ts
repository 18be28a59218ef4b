import { describe, expect, it } from "vitest";
import { sharedBuffersMegabytes } from "./embedded-server.ts";

const GIB = 1024 ** 3;

describe("sharedBuffersMegabytes", () => {
  it("takes an eighth of the machine's memory", () => {
    expect(sharedBuffersMegabytes(8 * GIB)).toBe(1024);
  });

  it("never goes below 256 MB on a small machine nor above 2 GB on a large one", () => {
    expect(sharedBuffersMegabytes(1 * GIB)).toBe(256);
    expect(sharedBuffersMegabytes(24 * GIB)).toBe(2048);
  });
});
