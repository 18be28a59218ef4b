import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PersonName } from "../names/person-name.ts";
import { SeededRandom } from "../random/seeded-random.ts";
import { hasCompoundSurname, surnameVariant, typo } from "./name-noise.ts";

const name = (given: string[], family: string[]): PersonName => ({
  given: given.map((text) => ({ text, variants: null })),
  family: family.map((text) => ({ text, variants: null })),
});
const written = (value: PersonName) =>
  `${value.given.map((token) => token.text).join(" ")} / ${value.family.map((token) => token.text).join(" ")}`;

describe("name noise", () => {
  it("makes a typo that changes the name and keeps a letter (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.stringMatching(/^[A-Za-z][A-Za-z '-]{0,20}$/), (seed, text) => {
        const result = typo(new SeededRandom(seed, 3, 5, 7), text);
        expect(result).not.toBe(text);
        expect(result).toMatch(/\p{L}/u);
        expect(Math.abs(result.length - text.length)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it("knows which surnames have other written forms", () => {
    expect(hasCompoundSurname(name(["José"], ["Hernández", "García"]))).toBe(true);
    expect(hasCompoundSurname(name(["Juan"], ["de la Cruz"]))).toBe(true);
    expect(hasCompoundSurname(name(["Ahmed"], ["al-Hassan"]))).toBe(true);
    expect(hasCompoundSurname(name(["Liam"], ["O'Brien"]))).toBe(true);
    expect(hasCompoundSurname(name(["James"], ["Smith"]))).toBe(false);
  });

  it("writes a compound surname another way, always visibly different (property)", () => {
    const names = [
      name(["José", "Luis"], ["Hernández", "García"]),
      name(["Maria"], ["de la Cruz"]),
      name(["Ahmed"], ["al-Hassan"]),
      name(["Jean"], ["Saint-Fleur"]),
      name(["Liam"], ["O'Brien"]),
      name(["João"], ["Ferreira", "da Silva", "Santos"]),
    ];
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...names), (seed, original) => {
        const variant = surnameVariant(new SeededRandom(seed, 9, 8, 7), original);
        expect(written(variant).toUpperCase()).not.toBe(written(original).toUpperCase());
        expect(variant.family.length).toBeGreaterThan(0);
      }),
    );
  });
});
