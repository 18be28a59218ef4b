import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COUNTRY_CODES } from "./countries.ts";
import { FEED_SCHEMAS, FEEDS, type FieldType } from "./feed-schemas.ts";
import {
  characterProblem,
  daysInMonth,
  normaliseANumber,
  normaliseCountry,
  normaliseField,
  normaliseI94Number,
  normaliseName,
  normalisePassportNumber,
  normaliseReceiptNumber,
  normaliseText,
  parseIsoDate,
  parseTimestamp,
} from "./normalise-field.ts";

const runs = process.env.PASSAGE_SOAK === "1" ? 20_000 : 300;
const options = { numRuns: runs };

/** Any text at all: arbitrary UTF-16 (lone surrogates included), control characters, emoji. */
const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string());

/** Every field type that appears in a feed schema. */
const FIELD_TYPES: FieldType[] = [
  ...new Map(
    FEEDS.flatMap((feed) =>
      FEED_SCHEMAS[feed].fields.map((field) => [JSON.stringify(field.type), field.type] as const),
    ),
  ).values(),
];

const validDate = fc
  .record({
    year: fc.integer({ min: 1850, max: 2200 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
  })
  .filter(({ year, month, day }) => day <= daysInMonth(year, month))
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`);

const punctuation = fc.constantFrom("", " ", "-", ".", "/", "_");

describe("normaliseField (property)", () => {
  it("never throws, whatever the type and the text, and answers a value or a reason", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELD_TYPES), anyText, (type, text) => {
        const parsed = normaliseField(type, text);
        if (parsed.ok) expect(["string", "number"]).toContain(typeof parsed.value);
        else expect(parsed.reason.length).toBeGreaterThan(0);
      }),
      options,
    );
  });

  it("is idempotent: a normalised value normalises to itself", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELD_TYPES), anyText, (type, text) => {
        const first = normaliseField(type, text);
        if (!first.ok || String(first.value).trim() === "") return;
        const second = normaliseField(type, String(first.value));
        expect(second).toEqual(first);
      }),
      options,
    );
  });

  it("rejects control characters (other than tab and line feed) in any field", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELD_TYPES),
        fc.string(),
        fc.integer({ min: 0, max: 31 }).filter((code) => code !== 9 && code !== 10), // tab and line feed are text
        (type, text, code) => {
          expect(normaliseField(type, `${text}${String.fromCharCode(code)}${text}`)).toEqual({
            ok: false,
            reason: "contains control characters",
          });
        },
      ),
      options,
    );
  });

  it("rejects text that is not well-formed Unicode (a lone surrogate) in any field, with a reason", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELD_TYPES),
        fc.string(),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        (type, text, code) => {
          const parsed = normaliseField(type, `${text}${String.fromCharCode(code)}x`);
          expect(parsed.ok).toBe(false);
          if (!parsed.ok)
            expect(parsed.reason).toMatch(/^is not well-formed Unicode: a lone UTF-16 surrogate/);
        },
      ),
      options,
    );
  });

  it("answers a character problem exactly when the text is not well-formed or holds U+FFFD", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const wellFormed = (text as unknown as { isWellFormed(): boolean }).isWellFormed();
        const problem = characterProblem(text, true);
        expect(problem === undefined).toBe(wellFormed && !text.includes("\ufffd"));
      }),
      options,
    );
  });

  it("rejects U+FFFD (a byte that was not UTF-8) in any field, saying the source was mis-decoded", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELD_TYPES), fc.string(), (type, text) => {
        expect(normaliseField(type, `${text}M\ufffdller`)).toEqual({
          ok: false,
          reason:
            "contains U+FFFD, the replacement character: the source is not valid UTF-8 or was mis-decoded upstream",
        });
      }),
      options,
    );
  });

  it("keeps a key's canonical text: trimmed, single spaces, no pipe", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = normaliseField({ kind: "key" }, text);
        if (!parsed.ok) return;
        const key = String(parsed.value);
        expect(key).toBe(key.trim());
        expect(key).not.toMatch(/\s{2}|\|/);
        expect(key.length).toBeLessThanOrEqual(128);
      }),
      options,
    );
  });

  it("reads integers and decimals exactly and refuses values below the minimum", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (value) => {
        const parsed = normaliseField({ kind: "integer", min: 0 }, ` ${value} `);
        expect(parsed).toEqual(
          value >= 0 ? { ok: true, value } : { ok: false, reason: `${value} is below 0` },
        );
      }),
      options,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const text = `${whole}.${String(cents).padStart(2, "0")}`;
        expect(normaliseField({ kind: "decimal", min: 0 }, text)).toEqual({ ok: true, value: Number(text) });
      }),
      options,
    );
  });

  it("matches enum values whatever their case, and only those", () => {
    const type = { kind: "enum", values: ["air", "land", "sea"] } as const;
    fc.assert(
      fc.property(fc.constantFrom("air", "land", "sea"), fc.boolean(), (value, upper) => {
        expect(normaliseField(type, upper ? ` ${value.toUpperCase()} ` : value)).toEqual({ ok: true, value });
      }),
      options,
    );
    fc.assert(
      fc.property(
        anyText.filter((text) => !["air", "land", "sea"].includes(text.trim().toLowerCase())),
        (text) => {
          expect(normaliseField(type, text).ok).toBe(false);
        },
      ),
      options,
    );
  });
});

describe("dates and timestamps (property)", () => {
  it("accepts every real calendar date from 1850 to 2200 unchanged", () => {
    fc.assert(
      fc.property(validDate, (date) => {
        expect(parseIsoDate(date)).toEqual({ ok: true, value: date });
      }),
      options,
    );
  });

  it("rejects days that do not exist and years out of range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1850, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 29, max: 99 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
          expect(parseIsoDate(text).ok).toBe(day <= daysInMonth(year, month));
        },
      ),
      options,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }).filter((year) => year < 1850 || year > 2200),
        (year) => {
          expect(parseIsoDate(`${String(year).padStart(4, "0")}-01-01`).ok).toBe(false);
        },
      ),
      options,
    );
  });

  it("reads a date_or_ds field as D/S in any spelling, or as a date", () => {
    fc.assert(
      fc.property(fc.constantFrom("D/S", "d/s", "DS", " ds "), (text) => {
        expect(normaliseField({ kind: "date_or_ds" }, text)).toEqual({ ok: true, value: "D/S" });
      }),
      options,
    );
  });

  it("normalises a timestamp with any offset to the same UTC instant", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01T00:00:00Z"),
          max: new Date("2190-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (instant, offsetMinutes) => {
          const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? "-" : "+";
          const absolute = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
          expect(parseTimestamp(`${local}${offset}`)).toEqual({ ok: true, value: instant.toISOString() });
        },
      ),
      options,
    );
  });

  it("rejects a timestamp without an offset", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2190-01-01"), noInvalidDate: true }),
        (instant) => {
          expect(parseTimestamp(instant.toISOString().slice(0, 19)).ok).toBe(false);
        },
      ),
      options,
    );
  });
});

describe("identifiers (property)", () => {
  it("normalises an A-number in any punctuation to the same 9 digits", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{7,9}$/),
        fc.boolean(),
        fc.array(punctuation, { minLength: 10, maxLength: 10 }),
        (digits, withA, separators) => {
          const spelled = `${withA ? "a" : ""}${[...digits].map((digit, index) => `${separators[index]}${digit}`).join("")}`;
          expect(normaliseANumber(spelled)).toEqual({ ok: true, value: digits.padStart(9, "0") });
        },
      ),
      options,
    );
  });

  it("normalises an A-number with any punctuation at all between the A and the digits", () => {
    for (const [text, digits] of [
      ["A#123-456-789", "123456789"],
      ["A 12,345,678", "012345678"],
      ["A(123)456789", "123456789"],
      ["A:123456789", "123456789"],
      ["a–123·456·789", "123456789"],
    ] as const) {
      expect(normaliseANumber(text), text).toEqual({ ok: true, value: digits });
    }
    /** Runs of characters that are neither letters, digits nor combining marks: any script's punctuation. */
    const anyPunctuation = fc.string({ maxLength: 3 }).map((text) => text.replace(/[\p{L}\p{N}\p{M}]/gu, ""));
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{7,9}$/),
        fc.constantFrom("", "A", "a"),
        fc.array(anyPunctuation, { minLength: 11, maxLength: 11 }),
        (digits, prefix, separators) => {
          const spelled = `${separators[10]}${prefix}${[...digits].map((digit, index) => `${separators[index]}${digit}`).join("")}`;
          expect(normaliseANumber(spelled), spelled).toEqual({ ok: true, value: digits.padStart(9, "0") });
        },
      ),
      options,
    );
  });

  it("rejects A-numbers of fewer than 7 or more than 9 digits, or with letters inside", () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{0,6}$/), fc.stringMatching(/^\d{10,14}$/)), (digits) => {
        expect(normaliseANumber(`A${digits}`).ok).toBe(false);
      }),
      options,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{3}[B-Z]\d{4}$/), (text) => {
        expect(normaliseANumber(text).ok).toBe(false);
      }),
      options,
    );
  });

  it("upper-cases and compacts I-94, receipt and passport numbers, rejecting wrong lengths", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9]{11}$/), punctuation, (text, separator) => {
        const spelled = `${text.slice(0, 5)}${separator === "" ? "" : separator.trim() === "" ? " " : "-"}${text.slice(5)}`;
        expect(normaliseI94Number(spelled)).toEqual({ ok: true, value: text.toUpperCase() });
      }),
      options,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9]{1,10}$|^[a-zA-Z0-9]{12,20}$/), (text) => {
        expect(normaliseI94Number(text).ok).toBe(false);
      }),
      options,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z]{3}\d{10}$/), (text) => {
        expect(normaliseReceiptNumber(text.toLowerCase())).toEqual({ ok: true, value: text.toUpperCase() });
      }),
      options,
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{5,12}$/),
        fc.constantFrom("", " ", "-", ".", "/"),
        (text, separator) => {
          expect(normalisePassportNumber(`${text.slice(0, 2)}${separator}${text.slice(2)}`)).toEqual({
            ok: true,
            value: text,
          });
        },
      ),
      options,
    );
  });

  it("accepts exactly the listed alpha-3 country codes, in any case", () => {
    fc.assert(
      fc.property(fc.constantFrom(...COUNTRY_CODES), (code) => {
        expect(normaliseCountry(` ${code.toLowerCase()}`)).toEqual({ ok: true, value: code });
      }),
      options,
    );
    fc.assert(
      fc.property(
        anyText.filter((text) => !COUNTRY_CODES.has(text.trim().toUpperCase())),
        (text) => {
          expect(normaliseCountry(text).ok).toBe(false);
        },
      ),
      options,
    );
  });
});

describe("names and text (property)", () => {
  it("normalises text to NFC with single spaces, idempotently", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
        expect(once).toBe(once.normalize("NFC"));
        expect(once).not.toMatch(/^\s|\s$|\s\s/u);
      }),
      options,
    );
  });

  it("keeps a name's letters and case, and treats composed and decomposed accents alike", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("José", "Müller", "Đorđević", "Şahin", "Nguyễn"),
        fc.boolean(),
        (name, decompose) => {
          const spelled = decompose ? name.normalize("NFD") : name;
          expect(normaliseName(`  ${spelled}  `)).toEqual({ ok: true, value: name.normalize("NFC") });
        },
      ),
      options,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[\d\s.,'-]*$/), (text) => {
        expect(normaliseName(text).ok).toBe(false);
      }),
      options,
    );
  });
});

// The fast paths of normaliseText and parseIsoDate must answer exactly what the plain definitions
// answer: NFC, collapse whitespace, trim; a YYYY-MM-DD regular expression and a Date.
const referenceText = (text: string) => text.normalize("NFC").replace(/\s+/gu, " ").trim();
function referenceDate(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1850 || year > 2200 || month < 1 || month > 12) return undefined;
  return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate() ? text.trim() : undefined;
}
/** Text that is mostly ASCII, with spaces, tabs, line breaks and a few accents and odd spaces. */
const nearlyAscii = fc.string({
  unit: fc.constantFrom("a", "Z", "0", "-", " ", "  ", "\t", "\n", "é", "e\u0301", "\u00a0", "\u3000", "~"),
});
const nearlyDate = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }),
      fc.constantFrom(1849, 1850, 1900, 2000, 2024, 2100, 2200, 2201),
    ),
    fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 13 }), fc.constant(2)),
    fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 27, max: 32 })),
    fc.constantFrom("", " ", "\t"),
    fc.constantFrom("-", "/", "--"),
  )
  .map(
    ([year, month, day, pad, dash]) =>
      `${pad}${String(year).padStart(4, "0")}${dash}${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}${pad}`,
  );

describe("fast paths (property)", () => {
  it("normaliseText answers what NFC, whitespace collapsing and trimming answer", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nearlyAscii), (text) => {
        expect(normaliseText(text)).toBe(referenceText(text));
      }),
      options,
    );
  });

  it("parseIsoDate accepts and refuses exactly what a regular expression and a Date do", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, nearlyDate, validDate), (text) => {
        const parsed = parseIsoDate(text);
        const expected = referenceDate(text);
        expect(parsed.ok ? parsed.value : undefined).toBe(expected);
      }),
      options,
    );
  });

  it("daysInMonth agrees with the calendar of Date", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
      }),
      options,
    );
  });
});
