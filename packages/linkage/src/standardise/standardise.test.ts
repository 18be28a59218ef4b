import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactIdentifier, foldText } from "./fold-text.ts";
import { phoneticKey } from "./phonetic-key.ts";
import { standardiseDate } from "./standardise-date.ts";
import { standardiseIdentifier } from "./standardise-identifier.ts";
import { standardiseName } from "./standardise-name.ts";

const anyText = fc.string({ unit: fc.constantFrom(..."aAbBçÇéÉñÑøØßłŁ-' .,dezmohaùüÜЖжΩω1"), maxLength: 24 });

describe("folding", () => {
  it("removes case, diacritics and punctuation and romanises Cyrillic", () => {
    expect(foldText("  José-María  O'Neil ")).toBe("jose maria o neil");
    expect(foldText("Øyvind Straße")).toBe("oyvind strasse");
    expect(foldText("Александр")).toBe("aleksandr");
    expect(compactIdentifier("a-012 345.678")).toBe("A012345678");
  });

  it("is idempotent and yields only lower-case letters, digits and single spaces", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const folded = foldText(text);
        expect(foldText(folded)).toBe(folded);
        expect(folded).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
      }),
    );
  });
});

describe("name standardisation", () => {
  it("splits compound and hyphenated names, drops particles, keeps canonical variants", () => {
    const name = standardiseName("DE LA Cruz-Rodríguez", "family")!;
    expect(name.tokens).toEqual(["cruz", "rodriguez"]);
    expect(name.folded).toBe("cruzrodriguez");
    expect(standardiseName("Mohamed", "given")!.canonical).toBe(
      standardiseName("Muhammad", "given")!.canonical,
    );
    expect(standardiseName("De La", "family")!.tokens).toEqual(["de", "la"]);
    // A short leading token is glued to the next for the sound key: sources write both forms.
    expect(standardiseName("ST FLEUR", "family")!.phonetic).toBe(
      standardiseName("StFleur", "family")!.phonetic,
    );
    expect(standardiseName("OBrien", "family")!.phonetic).toBe(
      standardiseName("O'Brien", "family")!.phonetic,
    );
    expect(standardiseName("St Fleur", "family")!.phonetic).not.toBe(
      standardiseName("St Louis", "family")!.phonetic,
    );
    expect(standardiseName("Von Berg", "family")!.joinedPhonetic).toBe(
      standardiseName("VONBERG", "family")!.joinedPhonetic,
    );
    // Particles are still dropped, not glued: "de la Cruz" sounds like "Cruz".
    expect(standardiseName("de la Cruz", "family")!.phonetic).toBe(
      standardiseName("Cruz", "family")!.phonetic,
    );
    expect(standardiseName("1234", "family")).toBeUndefined();
  });

  it("is idempotent: standardising the standard form changes nothing", () => {
    fc.assert(
      fc.property(
        anyText,
        fc.constantFrom("given", "family", "full") as fc.Arbitrary<"given" | "family" | "full">,
        (text, role) => {
          const once = standardiseName(text, role);
          if (!once) return;
          const twice = standardiseName(once.tokens.join(" "), role)!;
          expect(twice.folded).toBe(once.folded);
          expect(twice.canonical).toBe(once.canonical);
          expect(twice.phonetic).toBe(once.phonetic);
        },
      ),
    );
  });

  it("gives transliteration variants one sound key", () => {
    expect(new Set(["mohammed", "muhammad", "mohamed", "mohamad"].map(phoneticKey)).size).toBe(1);
    expect(new Set(["yusuf", "youssef", "jusuf", "yousef"].map(phoneticKey)).size).toBe(1);
    expect(phoneticKey("aleksandr")).toBe(phoneticKey("alexander"));
    expect(new Set(["nguyen", "nguien", "ngyuen", "nguyn"].map(phoneticKey)).size).toBe(1);
    expect(phoneticKey("smith")).not.toBe(phoneticKey("jones"));
  });
});

describe("date and identifier standardisation", () => {
  it("flags placeholder dates as weak evidence", () => {
    expect(standardiseDate("1975-01-01", "YYYY-MM-DD")!.placeholder).toBe(true);
    expect(standardiseDate("1900-06-15", "YYYY-MM-DD")!.placeholder).toBe(true);
    expect(standardiseDate("1975-06-15", "YYYY-MM-DD")!.placeholder).toBe(false);
  });

  it("is idempotent on identifiers", () => {
    const identifier = fc.string({ unit: fc.constantFrom(..."A0123456789- ./x"), maxLength: 14 });
    fc.assert(
      fc.property(
        identifier,
        fc.constantFrom("a_number", "passport", "i94", "generic") as fc.Arbitrary<"a_number">,
        (text, scheme) => {
          const once = standardiseIdentifier(text, scheme);
          if (once === undefined) return;
          expect(standardiseIdentifier(once, scheme)).toBe(once);
        },
      ),
    );
    expect(standardiseIdentifier("A-12.345.678", "a_number")).toBe("012345678");
    expect(standardiseIdentifier(" F 00123 ", "opaque")).toBe("F 00123");
  });
});
