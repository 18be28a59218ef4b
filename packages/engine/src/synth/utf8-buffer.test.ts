import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField } from "./csv-line.ts";
import { Utf8Buffer } from "./utf8-buffer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Any UTF-16 text: astral characters, lone surrogates, separators and quotes included. */
const anyText = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.array(fc.integer({ min: 0, max: 0xffff })).map((codes) => String.fromCharCode(...codes)),
  fc
    .array(fc.constantFrom("a", "Ñ", ",", '"', "\n", "\r", "\\", "\u0001", "\ud83d", "\ude00", "😀"))
    .map((characters) => characters.join("")),
);

function written(write: (buffer: Utf8Buffer) => void, capacity = 1): Uint8Array {
  const buffer = new Utf8Buffer(capacity);
  write(buffer);
  return buffer.finish();
}

describe("Utf8Buffer", () => {
  it("writes text as TextEncoder encodes it", () => {
    fc.assert(
      fc.property(anyText, fc.nat(4), (text, from) => {
        const start = Math.min(from, text.length);
        expect(written((buffer) => buffer.text(text, start))).toEqual(encoder.encode(text.slice(start)));
      }),
    );
  });

  it("writes CSV fields as csvField quotes them", () => {
    expect(decoder.decode(written((buffer) => buffer.csvField('say "hi", twice')))).toBe(
      '"say ""hi"", twice"',
    );
    expect(decoder.decode(written((buffer) => buffer.csvField("Ñúñez, José")))).toBe('"Ñúñez, José"');
    fc.assert(
      fc.property(anyText, fc.nat(4), (text, from) => {
        const start = Math.min(from, text.length);
        expect(written((buffer) => buffer.csvField(text, start))).toEqual(
          encoder.encode(csvField(text.slice(start))),
        );
      }),
    );
  });

  it("writes JSON as JSON.stringify does", () => {
    const truthLike = {
      person_id: "P0000001",
      detail: null,
      overlays: ["DETAINED"],
      actionable: false,
      overstay_days: 422,
      after_review: { gates: [], actionable: true },
      skipped: undefined,
      list: [undefined, 1.5, -0, Number.NaN],
      date: new Date(0),
    };
    expect(decoder.decode(written((buffer) => buffer.json(truthLike)))).toBe(JSON.stringify(truthLike));
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, text) => {
        expect(written((buffer) => buffer.json(value))).toEqual(encoder.encode(JSON.stringify(value)));
        expect(written((buffer) => buffer.json({ [text]: text }))).toEqual(
          encoder.encode(JSON.stringify({ [text]: text })),
        );
      }),
    );
  });

  it("keeps what it wrote when it grows, and hands over only the written bytes", () => {
    const buffer = new Utf8Buffer(64);
    for (let line = 0; line < 1000; line++) {
      buffer.csvField(`field ${line}`);
      buffer.byte(10);
    }
    const lines = Array.from({ length: 1000 }, (_, line) => `field ${line}\n`).join("");
    expect(buffer.byteLength).toBe(lines.length);
    expect(decoder.decode(buffer.finish())).toBe(lines);
  });
});
