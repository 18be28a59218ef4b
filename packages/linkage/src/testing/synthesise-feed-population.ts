import type { Feed } from "@passage/core";
import type { LinkageRecord } from "../model/prepared-record.ts";
import { createSeededRandom, randomInteger } from "../seeded-random.ts";
import { NAMING_TRADITIONS, type NamingTradition, SPELLING_VARIANTS } from "./name-pools.ts";

/** How noisy the records are: `default` is the synthetic population's usual noise, `hard` about 2.5 times it. */
export const NOISE_PROFILES = {
  default: {
    typo: 0.02,
    variant: 0.15,
    swap: 0.02,
    dropSurname: 0.15,
    hyphenate: 0.1,
    dateSwap: 0.02,
    dateTypo: 0.015,
    placeholder: 0.01,
    missing: 0.03,
    identifierTypo: 0.005,
    namesake: 0.005,
  },
  hard: {
    typo: 0.05,
    variant: 0.35,
    swap: 0.05,
    dropSurname: 0.3,
    hyphenate: 0.2,
    dateSwap: 0.05,
    dateTypo: 0.04,
    placeholder: 0.03,
    missing: 0.08,
    identifierTypo: 0.015,
    namesake: 0.01,
  },
} as const;
export type NoiseProfile = keyof typeof NOISE_PROFILES;

export interface SyntheticPopulation {
  readonly records: LinkageRecord[];
  /** Record id -> true person id. */
  readonly truth: Map<string, string>;
  /** Record id -> its person's true A-number, for records that carry an A-number field. */
  readonly aNumberOf: Map<string, string>;
  readonly persons: number;
}

interface Person {
  readonly id: string;
  readonly tradition: NamingTradition;
  readonly given: string;
  readonly family: readonly string[];
  readonly birth: { year: number; month: number; day: number };
  readonly sex: "M" | "F";
  readonly countryOfBirth: string;
  readonly nationality: string;
  readonly aNumber: string | undefined;
  readonly passport: string | undefined;
  readonly fin: string | undefined;
}

const TRADITION_WEIGHTS = [0.4, 0.12, 0.06, 0.08, 0.08, 0.12, 0.09, 0.05];
const FEED_WEIGHTS: readonly [Feed, number][] = [
  ["visa", 0.15],
  ["admission", 0.25],
  ["departure", 0.1],
  ["benefit", 0.1],
  ["court", 0.08],
  ["custody", 0.06],
  ["encounter", 0.12],
  ["conviction", 0.08],
  ["citizenship", 0.02],
  ["travel_document", 0.04],
];

/**
 * A deterministic synthetic population of feed-shaped linkage records with known truth and
 * realistic noise: transliteration variants, typos, dropped or hyphenated second surnames,
 * given/family swaps, day/month swaps, placeholder dates, identifier typos, and namesakes
 * (different persons sharing name and date of birth).
 */
export function synthesiseFeedPopulation(options: {
  persons: number;
  seed: number;
  noise?: NoiseProfile;
}): SyntheticPopulation {
  const random = createSeededRandom(options.seed);
  const noise = NOISE_PROFILES[options.noise ?? "default"];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(list.length * random() ** 2)]!;
  const chance = (probability: number) => random() < probability;
  const persons: Person[] = [];
  const usedANumbers = new Set<string>();
  for (let index = 0; index < options.persons; index += 1) {
    const tradition = NAMING_TRADITIONS[weightedIndex(TRADITION_WEIGHTS, random())]!;
    const sex = chance(0.5) ? "M" : "F";
    const namesake =
      index > 10 && chance(noise.namesake) ? persons[randomInteger(random, persons.length)]! : undefined;
    const family =
      namesake?.family ??
      (tradition.doubleSurname && chance(0.8)
        ? [pick(tradition.family), pick(tradition.family)]
        : [pick(tradition.family)]);
    const birthYear = 1945 + Math.floor(65 * random() ** 0.7);
    let aNumber: string | undefined;
    if (chance(0.75)) {
      do aNumber = String(100_000_000 + randomInteger(random, 899_999_999));
      while (usedANumbers.has(aNumber));
      usedANumbers.add(aNumber);
    }
    const nationality = pick(tradition.countries);
    persons.push({
      id: `P${index}`,
      tradition,
      given: namesake?.given ?? pick(sex === "M" ? tradition.given.male : tradition.given.female),
      family,
      birth:
        namesake?.birth ??
        (chance(0.03)
          ? { year: birthYear, month: 1, day: 1 }
          : { year: birthYear, month: 1 + randomInteger(random, 12), day: 1 + randomInteger(random, 28) }),
      sex,
      countryOfBirth: chance(0.95) ? nationality : pick(tradition.countries),
      nationality,
      aNumber,
      passport: chance(0.85) ? randomPassport(random) : undefined,
      fin: chance(0.4) ? `F${String(randomInteger(random, 1e10)).padStart(10, "0")}` : undefined,
    });
  }
  const records: LinkageRecord[] = [];
  const truth = new Map<string, string>();
  const aNumberOf = new Map<string, string>();
  let counter = 0;
  for (const person of persons) {
    const count = recordCount(random());
    const admissions: string[] = [];
    for (let copy = 0; copy < count; copy += 1) {
      let feed =
        FEED_WEIGHTS[
          weightedIndex(
            FEED_WEIGHTS.map(([, weight]) => weight),
            random(),
          )
        ]![0];
      if ((feed === "court" || feed === "custody" || feed === "travel_document") && !person.aNumber)
        feed = "encounter";
      counter += 1;
      const id = `${feed}:${feed.slice(0, 3).toUpperCase()}${counter}`;
      const values = noisyValues(person, feed, noise, random, pick, admissions);
      records.push({ id, source: 0, values });
      truth.set(id, person.id);
      if (values.a_number !== undefined && person.aNumber) aNumberOf.set(id, person.aNumber);
    }
  }
  return { records, truth, aNumberOf, persons: persons.length };
}

function noisyValues(
  person: Person,
  feed: Feed,
  noise: (typeof NOISE_PROFILES)[NoiseProfile],
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
  admissions: string[],
): Record<string, string> {
  const chance = (probability: number) => random() < probability;
  const values: Record<string, string> = {};
  const optional = (field: string, value: string | undefined) => {
    if (value !== undefined && !chance(noise.missing)) values[field] = value;
  };
  if (feed === "travel_document") {
    values.a_number = person.aNumber!;
    return values;
  }
  let given = spell(person.given, noise, random, pick);
  let family = person.family.map((name) => spell(name, noise, random, pick));
  if (family.length === 2) {
    if (chance(noise.dropSurname)) family = [family[0]!];
    else if (chance(noise.hyphenate)) family = [`${family[0]}-${family[1]}`];
  }
  let familyText = family.join(" ");
  if (chance(person.tradition.familyFirst ? noise.swap * 3 : noise.swap))
    [given, familyText] = [familyText, given];
  values.given_names = chance(0.15) ? given.toUpperCase() : given;
  values.family_name = chance(0.15) ? familyText.toUpperCase() : familyText;
  values.date_of_birth = noisyDate(person.birth, noise, random);
  if (feed === "conviction" || feed === "citizenship") values.date_of_birth ??= isoDate(person.birth);
  if (values.date_of_birth === "") delete values.date_of_birth;
  optional("sex", person.sex);
  optional("nationality", person.nationality);
  if (["visa", "benefit", "encounter", "citizenship"].includes(feed))
    optional("country_of_birth", person.countryOfBirth);
  const carriesANumber =
    feed === "court" ||
    feed === "custody" ||
    feed === "benefit" ||
    feed === "citizenship" ||
    (feed === "encounter" && chance(0.5)) ||
    (feed === "visa" && chance(0.1)) ||
    (feed === "admission" && chance(0.05));
  if (person.aNumber && carriesANumber) {
    const aNumber = chance(noise.identifierTypo) ? typoDigits(person.aNumber, random) : person.aNumber;
    values.a_number = chance(0.3)
      ? `A${aNumber.slice(0, 3)}-${aNumber.slice(3, 6)}-${aNumber.slice(6)}`
      : aNumber;
  }
  if (person.passport && ["visa", "admission", "departure"].includes(feed) && chance(0.95)) {
    values.passport_number = chance(noise.identifierTypo * 2)
      ? typoDigits(person.passport, random)
      : person.passport;
    values.passport_country = person.nationality;
  }
  if (feed === "admission") {
    values.i94_number = `${String(randomInteger(random, 1e9)).padStart(9, "0")}A${randomInteger(random, 10)}`;
    admissions.push(values.i94_number);
  } else if (feed === "departure" && admissions.length > 0 && chance(0.7)) {
    // A departure record closes an admission: it carries that admission's I-94 number.
    values.i94_number = admissions[randomInteger(random, admissions.length)]!;
  }
  if (person.fin && ["custody", "encounter", "conviction"].includes(feed) && chance(0.7))
    values.fin = person.fin;
  return values;
}

function spell(
  name: string,
  noise: (typeof NOISE_PROFILES)[NoiseProfile],
  random: () => number,
  pick: <T>(list: readonly T[]) => T,
): string {
  const variants = SPELLING_VARIANTS[name];
  let written = variants && random() < noise.variant ? pick(variants) : name;
  if (random() < noise.typo) written = typo(written, random);
  return written;
}

/** One keyboard-style error: substitution, deletion, insertion or transposition. */
export function typo(text: string, random: () => number): string {
  if (text.length < 3) return text;
  const position = 1 + randomInteger(random, text.length - 2);
  const letter = "abcdefghijklmnopqrstuvwxyz"[randomInteger(random, 26)]!;
  switch (randomInteger(random, 4)) {
    case 0:
      return text.slice(0, position) + letter + text.slice(position + 1);
    case 1:
      return text.slice(0, position) + text.slice(position + 1);
    case 2:
      return text.slice(0, position) + letter + text.slice(position);
    default:
      return text.slice(0, position - 1) + text[position] + text[position - 1] + text.slice(position + 1);
  }
}

function typoDigits(value: string, random: () => number): string {
  const position = randomInteger(random, value.length);
  const current = value[position]!;
  const replacement = /\d/.test(current)
    ? String((Number(current) + 1 + randomInteger(random, 8)) % 10)
    : "X";
  return value.slice(0, position) + replacement + value.slice(position + 1);
}

function noisyDate(
  birth: Person["birth"],
  noise: (typeof NOISE_PROFILES)[NoiseProfile],
  random: () => number,
): string {
  if (random() < noise.missing) return "";
  let { year, month, day } = birth;
  if (random() < noise.placeholder) return `${year}-01-01`;
  if (day <= 12 && random() < noise.dateSwap) [month, day] = [day, month];
  else if (random() < noise.dateTypo) {
    const kind = randomInteger(random, 3);
    if (kind === 0) year += random() < 0.5 ? 1 : -1;
    else if (kind === 1) day = Math.min(28, Math.max(1, day + (random() < 0.5 ? 1 : -1)));
    else month = 1 + ((month + randomInteger(random, 11)) % 12);
  }
  return isoDate({ year, month, day });
}

function isoDate(date: Person["birth"]): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

function randomPassport(random: () => number): string {
  const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  return `${letters[randomInteger(random, letters.length)]}${letters[randomInteger(random, letters.length)]}${String(randomInteger(random, 1e7)).padStart(7, "0")}`;
}

function recordCount(draw: number): number {
  if (draw < 0.3) return 1;
  if (draw < 0.55) return 2;
  if (draw < 0.75) return 3;
  if (draw < 0.87) return 4;
  if (draw < 0.95) return 5;
  return 6 + Math.floor((draw - 0.95) * 60);
}

function weightedIndex(weights: readonly number[], draw: number): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let remaining = draw * total;
  for (let index = 0; index < weights.length; index += 1) {
    remaining -= weights[index]!;
    if (remaining < 0) return index;
  }
  return weights.length - 1;
}
