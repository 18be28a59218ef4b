import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random/seeded-random.ts";
import { NATIONALITY_PROFILES } from "./nationality-profiles.ts";
import { foldToAscii, parseNameList, syllableForms } from "./person-name.ts";

const cultures = [
  ...new Set(NATIONALITY_PROFILES.flatMap((profile) => profile.cultures.map(([culture]) => culture))),
];

describe("naming cultures", () => {
  it("parses compact lists: entries, tokens, spellings, units and syllables", () => {
    expect(parseNameList("José_Luis, Mohammed/Muhammad Ali, de_la_Cruz")).toEqual([
      [["José Luis"]],
      [["Mohammed", "Muhammad"], ["Ali"]],
      [["de la Cruz"]],
    ]);
    expect(syllableForms("Xiao|ming", false)).toEqual(["Xiaoming", "Xiao Ming", "Xiao-Ming"]);
    expect(syllableForms("Min|jun", true)[0]).toBe("Min-jun");
  });

  it("folds names to ASCII as machine-readable documents write them", () => {
    expect(foldToAscii("Nguyễn Thị Hương")).toBe("Nguyen Thi Huong");
    expect(foldToAscii("Yılmaz Şahin Łukasz Weiß")).toBe("Yilmaz Sahin Lukasz Weiss");
  });

  it("composes names with letters, from every culture and both sexes (property)", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(...cultures),
        fc.constantFrom("M" as const, "F" as const),
        (seed, culture, sex) => {
          const name = culture.compose(new SeededRandom(seed, 1, 2, 3), sex);
          expect(name.given.length).toBeGreaterThan(0);
          expect(name.family.length).toBeGreaterThan(0);
          for (const token of [...name.given, ...name.family]) {
            expect(token.text).toMatch(/\p{L}/u);
            if (token.variants !== null) expect(token.variants).toContain(token.text);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives each culture a common name of each sex built from its own vocabulary", () => {
    for (const culture of cultures) {
      for (const sex of ["M", "F"] as const) {
        const name = culture.commonName(sex);
        const words = [...name.given, ...name.family]
          .flatMap((token) =>
            foldToAscii(token.text)
              .toLowerCase()
              .split(/[\s\-'.]+/),
          )
          .filter((word) => word.length > 0 && word !== "fnu");
        for (const word of words) expect(culture.vocabulary.has(word), `${culture.id} ${word}`).toBe(true);
      }
    }
  });

  it("knows transliteration variants across scripts", () => {
    const spellings = (cultureId: string) => {
      const culture = cultures.find((candidate) => candidate.id === cultureId)!;
      const found = new Set<string>();
      for (let seed = 0; seed < 400; seed++) {
        const name = culture.compose(new SeededRandom(seed, 5, 6, 7), "M");
        for (const token of [...name.given, ...name.family])
          for (const variant of token.variants ?? []) found.add(variant);
      }
      return found;
    };
    expect([...spellings("arabic")]).toEqual(expect.arrayContaining(["Mohammed", "Muhammad", "Mohamed"]));
    expect([...spellings("russian")]).toEqual(expect.arrayContaining(["Sergei", "Sergey"]));
    expect([...spellings("korean")]).toEqual(expect.arrayContaining(["Kim", "Gim"]));
  });
});
