import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeDate, standardiseDate } from "../standardise/standardise-date.ts";
import { standardiseName } from "../standardise/standardise-name.ts";
import { damerauLevenshteinDistance } from "./damerau-levenshtein.ts";
import { compareDates, DATE_LEVEL, withinOneEdit } from "./date-comparator.ts";
import { createIdentifierComparator, IDENTIFIER_LEVEL } from "./identifier-comparator.ts";
import { compareNames, NAME_LEVEL } from "./name-comparator.ts";
import {
  createExactComparator,
  createNumberComparator,
  createPostcodeComparator,
  createTextComparator,
} from "./value-comparators.ts";

const family = (raw: string) => standardiseName(raw, "family")!;
const given = (raw: string) => standardiseName(raw, "given")!;
const iso = (text: string) => standardiseDate(text, "YYYY-MM-DD")!;

describe("name comparison", () => {
  it.each([
    ["García-López", "GARCIA LOPEZ", NAME_LEVEL.exact],
    ["de la Cruz", "Cruz", NAME_LEVEL.exact],
    ["De La Cruz", "Delacruz", NAME_LEVEL.exact],
    ["al-Hassan", "Hassan", NAME_LEVEL.exact],
    ["van der Berg", "Berg", NAME_LEVEL.exact],
    ["Nguyễn", "Nguyen", NAME_LEVEL.exact],
    ["Nguyen", "Ngyuen", NAME_LEVEL.variant],
    ["García López", "López García", NAME_LEVEL.variant],
    ["García López", "García", NAME_LEVEL.partial],
    ["Martinez", "Martines", NAME_LEVEL.close],
    ["Smith", "Okafor", NAME_LEVEL.different],
  ])("family %s ~ %s", (left, right, level) => {
    expect(compareNames(family(left), family(right))).toBe(level);
    expect(compareNames(family(right), family(left))).toBe(level);
  });

  it.each([
    ["Mohammed", "Muhammad"],
    ["Mohamed", "Mohammad"],
    ["Yusuf", "Youssef"],
    ["Aleksandr", "Alexander"],
    ["Sergei", "Sergey"],
  ])("transliteration variants %s ~ %s agree at variant level", (left, right) => {
    expect(compareNames(given(left), given(right))).toBe(NAME_LEVEL.variant);
  });

  it("is symmetric and exact on identical names", () => {
    const word = fc.string({ unit: fc.constantFrom(..."abcdehilmnorsuy -"), minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        const left = standardiseName(a, "family");
        const right = standardiseName(b, "family");
        if (!left || !right) return;
        expect(compareNames(left, right)).toBe(compareNames(right, left));
        expect(compareNames(left, left)).toBe(NAME_LEVEL.exact);
      }),
      { numRuns: 1500 },
    );
  });
});

describe("date comparison", () => {
  it.each([
    ["1980-03-07", "1980-03-07", DATE_LEVEL.exact],
    ["1980-01-01", "1980-01-01", DATE_LEVEL.placeholder],
    ["1900-01-01", "1900-01-01", DATE_LEVEL.placeholder],
    ["1980-03-07", "1980-07-03", DATE_LEVEL.swap],
    ["1980-03-07", "1980-03-08", DATE_LEVEL.typo],
    ["1980-03-17", "1980-03-71".replace("71", "27"), DATE_LEVEL.typo],
    ["1980-03-07", "1981-03-07", DATE_LEVEL.typo],
    ["1980-03-07", "1982-03-07", DATE_LEVEL.typo],
    ["1980-03-07", "1979-03-07", DATE_LEVEL.yearOff],
    ["1980-01-01", "1980-06-15", DATE_LEVEL.placeholderYear],
    ["1980-03-07", "1980-09-20", DATE_LEVEL.sameYear],
    ["1980-03-07", "1991-11-20", DATE_LEVEL.different],
  ])("%s ~ %s", (left, right, level) => {
    expect(compareDates(iso(left), iso(right))).toBe(level);
    expect(compareDates(iso(right), iso(left))).toBe(level);
  });

  it("reads declared formats and repairs an impossible month as a day/month swap", () => {
    expect(standardiseDate("07/03/1980", "DD/MM/YYYY")!.digits).toBe("19800307");
    expect(standardiseDate("03/07/1980", "MM/DD/YYYY")!.digits).toBe("19800307");
    expect(standardiseDate("19800307", "YYYYMMDD")!.digits).toBe("19800307");
    expect(standardiseDate("1980-25-03", "YYYY-MM-DD")!.digits).toBe("19800325");
    expect(standardiseDate("1980-02-30", "YYYY-MM-DD")).toBeUndefined();
    expect(standardiseDate("yesterday", "YYYY-MM-DD")).toBeUndefined();
  });

  it("is symmetric over any two dates, and the one-edit test agrees with Damerau-Levenshtein", () => {
    const date = fc
      .tuple(
        fc.integer({ min: 1890, max: 2020 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([year, month, day]) => makeDate(year, month, day)!);
    fc.assert(
      fc.property(date, date, (a, b) => {
        expect(compareDates(a, b)).toBe(compareDates(b, a));
        expect(withinOneEdit(a.digits, b.digits)).toBe(damerauLevenshteinDistance(a.digits, b.digits) <= 1);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("identifier comparison", () => {
  const aNumber = createIdentifierComparator({
    name: "a_number",
    kind: "identifier",
    column: "a",
    scheme: "a_number",
    strong: true,
  });
  const passport = createIdentifierComparator({
    name: "passport",
    kind: "identifier",
    column: "p",
    scheme: "passport",
    scopeColumn: "c",
    strong: true,
  });
  const fin = createIdentifierComparator({ name: "fin", kind: "identifier", column: "f", scheme: "opaque" });
  const a = (value: string) => aNumber.prepare({ a: value })!;
  const p = (value: string, country?: string) => passport.prepare({ p: value, c: country })!;

  it("reads an A-number in any punctuation as 9 digits and tolerates one typo", () => {
    expect(aNumber.compare(a("A012-345-678"), a("12345678"))).toBe(IDENTIFIER_LEVEL.exact);
    expect(aNumber.compare(a("012345678"), a("012345687"))).toBe(IDENTIFIER_LEVEL.typo);
    expect(aNumber.compare(a("012345678"), a("098765432"))).toBe(IDENTIFIER_LEVEL.conflict);
    expect(aNumber.prepare({ a: "A000000000" })).toBeUndefined();
    expect(aNumber.strongIdentifier(a("12345678"))).toEqual({
      scheme: "a_number",
      value: "012345678",
      toleratesTypos: true,
    });
  });

  it("scopes a passport number by its country: two countries are no conflict", () => {
    expect(passport.compare(p("X1234567", "MEX"), p("x-1234567", "MEX"))).toBe(IDENTIFIER_LEVEL.exact);
    expect(passport.compare(p("X1234567", "MEX"), p("Y7654321", "MEX"))).toBe(IDENTIFIER_LEVEL.conflict);
    expect(passport.compare(p("X1234567", "MEX"), p("Y7654321", "GTM"))).toBe(IDENTIFIER_LEVEL.missing);
    expect(passport.strongIdentifier(p("X1234567", "MEX"))?.scheme).toBe("passport:MEX");
    // Without its country the number is still strong, of the bare scheme (it meets every country's).
    expect(passport.strongIdentifier(p("X1234567"))?.scheme).toBe("passport");
  });

  it("blocks a passport number without its country with the same number of a known country", () => {
    // A record that lost its passport's country must still meet the records holding the number.
    expect(passport.blockingKey(p("X1234567"), "value")).toBe(
      passport.blockingKey(p("x-1234567", "MEX"), "value"),
    );
    expect(passport.compare(p("X1234567"), p("X1234567", "MEX"))).toBe(IDENTIFIER_LEVEL.exact);
    expect(passport.blockingKey(p("X1234567", "MEX"), "value")).not.toBe(
      passport.blockingKey(p("Y7654321", "MEX"), "value"),
    );
  });

  it("compares a FIN exactly, never reading it", () => {
    const f = (value: string) => fin.prepare({ f: value })!;
    expect(fin.compare(f("F123"), f("F123"))).toBe(IDENTIFIER_LEVEL.exact);
    expect(fin.compare(f("F123"), f("F124"))).toBe(IDENTIFIER_LEVEL.conflict);
    expect(fin.strongIdentifier(f("F123"))).toBeUndefined();
  });
});

describe("identifier held many times over (a court case number)", () => {
  const caseNumber = createIdentifierComparator({
    name: "case_id",
    kind: "identifier",
    column: "k",
    scheme: "opaque",
    manyPerPerson: true,
  });
  const k = (value: string) => caseNumber.prepare({ k: value })!;

  it("counts agreement and takes a different number as no evidence, never a conflict", () => {
    expect(caseNumber.compare(k("3670332540"), k("3670332540"))).toBe(IDENTIFIER_LEVEL.exact);
    expect(caseNumber.compare(k("3670332540"), k("3670332541"))).toBe(IDENTIFIER_LEVEL.missing);
    expect(caseNumber.strongIdentifier(k("3670332540"))).toBeUndefined();
  });
});

describe("value comparisons", () => {
  it("exact, postcode, text and number levels", () => {
    const sex = createExactComparator({ name: "sex", kind: "exact", column: "s", missingValues: ["U"] });
    expect(sex.prepare({ s: "u" })).toBeUndefined();
    expect(sex.compare(sex.prepare({ s: "M" })!, sex.prepare({ s: "m" })!)).toBe(1);
    const postcode = createPostcodeComparator({ name: "pc", kind: "postcode", column: "pc" });
    const pc = (value: string) => postcode.prepare({ pc: value })!;
    expect(postcode.compare(pc("TN12 3AB"), pc("tn123ab"))).toBe(1);
    expect(postcode.compare(pc("TN12 3AB"), pc("TN12 3BA"))).toBe(2);
    expect(postcode.compare(pc("TN12 3AB"), pc("TN12 9ZZ"))).toBe(3);
    expect(postcode.compare(pc("TN12 3AB"), pc("EX1 1AA"))).toBe(4);
    const text = createTextComparator({ name: "t", kind: "text", column: "t" });
    expect(text.compare(text.prepare({ t: "12 High Street" })!, text.prepare({ t: "12 HIGH STREET" })!)).toBe(
      1,
    );
    expect(text.compare(text.prepare({ t: "12 High Street" })!, text.prepare({ t: "12 Hihg Street" })!)).toBe(
      2,
    );
    const number = createNumberComparator({ name: "n", kind: "number", column: "n" });
    const n = (value: string) => number.prepare({ n: value })!;
    expect(number.compare(n("1,000"), n("1000"))).toBe(1);
    expect(number.compare(n("1000"), n("1005"))).toBe(2);
    expect(number.compare(n("1000"), n("1080"))).toBe(3);
    expect(number.compare(n("1000"), n("2000"))).toBe(4);
  });
});
