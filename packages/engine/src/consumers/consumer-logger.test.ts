import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createStderrLogger } from "./consumer-logger.ts";

/** The lines a logger at `level` writes for one info and one warn message. */
function linesAt(level: string | undefined): string[] {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const logger = createStderrLogger("relay", level, stream);
  logger.info({ published: 1 }, "published");
  logger.warn({ attempt: 2 }, "retrying");
  return text.split("\n").filter(Boolean);
}

describe("createStderrLogger", () => {
  it("writes one line per message at info and above", () => {
    expect(linesAt(undefined)).toEqual([
      'info relay: published {"published":1}',
      'warn relay: retrying {"attempt":2}',
    ]);
    expect(linesAt("debug")).toHaveLength(2);
  });

  it("drops messages less severe than the configured level", () => {
    expect(linesAt("warn")).toEqual(['warn relay: retrying {"attempt":2}']);
    expect(linesAt("error")).toEqual([]);
    expect(linesAt("silent")).toEqual([]);
  });
});
