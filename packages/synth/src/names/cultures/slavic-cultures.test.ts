import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../random/seeded-random.ts";
import { RUSSIAN, UKRAINIAN } from "./slavic-cultures.ts";

/** The patronymics (…vich, …vna, …vych, …ich, …ichna) among many composed names of a culture. */
function patronymics(culture: typeof RUSSIAN): Set<string> {
  const found = new Set<string>();
  for (let seed = 0; seed < 4000; seed++) {
    const name = culture.compose(new SeededRandom(seed, 7, 11, 13), seed % 2 === 0 ? "M" : "F");
    for (const token of name.given) if (/(vich|vna|vych|ich|ichna)$/.test(token.text)) found.add(token.text);
  }
  return found;
}

describe("East Slavic patronymics", () => {
  it("forms Russian patronymics without doubled letters or a kept fleeting e", () => {
    const found = [...patronymics(RUSSIAN)];
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter((word) => /yy|iii|[aeo]jov|erov|ervn/i.test(word))).toEqual([]);
    const alexander = found.filter((word) => /^Ale[kx]sand/.test(word));
    expect(alexander.every((word) => /^Ale[kx]sandr(ovich|ovna)$/.test(word))).toBe(true);
  });

  it("gives Ukrainian names Ukrainian patronymics (-ovych / -ivna), never Russian -yevich", () => {
    const found = [...patronymics(UKRAINIAN)];
    expect(found.length).toBeGreaterThan(10);
    expect(found.filter((word) => !/(ovych|ivna)$/.test(word))).toEqual([]);
    expect(found.filter((word) => /yy|iii|yevich|yevna|erovych/i.test(word))).toEqual([]);
  });
});
