import type { SeededRandom } from "../random/seeded-random.ts";
import {
  type CompiledEntry,
  compileEntry,
  drawEntry,
  type NameEntry,
  type NameToken,
  type NamingCulture,
  type PersonName,
  parseNameList,
  type Sex,
  syllableForms,
  vocabularyOf,
} from "./person-name.ts";

/** What a culture's composition rule draws from. */
export interface CultureDraw {
  readonly random: SeededRandom;
  readonly sex: Sex;
  /** One given-name entry of the person's sex. */
  given(): NameToken[];
  /** One given-name entry of the other list (a father's name is drawn from the male list). */
  male(): NameToken[];
  /** One family-name entry. */
  family(): NameToken[];
  /** One entry of a named extra list. */
  list(name: string): NameToken[];
}

/** A naming culture as data: its lists, skews and composition rule. */
export interface CultureSpec {
  readonly id: string;
  readonly male: string;
  readonly female: string;
  readonly family: string;
  readonly lists?: Readonly<Record<string, string>>;
  /** Syllable-marked names are written hyphenated first (Wade-Giles, Korean) rather than joined (pinyin). */
  readonly hyphenFirst?: boolean;
  /** How strongly frequency concentrates on the first entries (higher: more people share the top names). */
  readonly givenSkew?: number;
  readonly familySkew?: number;
  /** Share of people with a second given (middle) name, for the default composition. */
  readonly middleShare?: number;
  /** How a full name is put together; default: given (+ middle), one family name. */
  readonly compose?: (draw: CultureDraw) => PersonName;
  /** The most common full name per sex: given names, then family units. */
  readonly common: Readonly<Record<Sex, readonly string[]>>;
  /** Forms the composition derives (feminine surnames, patronymics), for the culture's vocabulary. */
  readonly derivedForms?: (spellings: {
    male: readonly string[];
    family: readonly string[];
  }) => readonly string[];
}

function variantLookup(
  lists: readonly (readonly NameEntry[])[],
  hyphenFirst: boolean,
): Map<string, string[]> {
  const lookup = new Map<string, string[]>();
  for (const list of lists) {
    for (const entry of list) {
      for (const spellings of entry) {
        const forms = spellings.flatMap((spelling) => syllableForms(spelling, hyphenFirst));
        if (forms.length > 1) for (const form of forms) lookup.set(form, forms);
      }
    }
  }
  return lookup;
}

/** A reusable draw: the culture's lists, pointed at the person being named (one person at a time). */
class ListDraw implements CultureDraw {
  random!: SeededRandom;
  sex: Sex = "M";

  constructor(
    private readonly maleList: readonly CompiledEntry[],
    private readonly femaleList: readonly CompiledEntry[],
    private readonly familyList: readonly CompiledEntry[],
    private readonly extra: ReadonlyMap<string, readonly CompiledEntry[]>,
    private readonly givenSkew: number,
    private readonly familySkew: number,
  ) {}

  given(): NameToken[] {
    return drawEntry(this.random, this.sex === "M" ? this.maleList : this.femaleList, this.givenSkew);
  }

  male(): NameToken[] {
    return drawEntry(this.random, this.maleList, this.givenSkew);
  }

  family(): NameToken[] {
    return drawEntry(this.random, this.familyList, this.familySkew);
  }

  list(name: string): NameToken[] {
    return drawEntry(this.random, this.extra.get(name) ?? [], this.givenSkew);
  }
}

/** Given names (with a middle name for a share of people) and one family name. */
function givenAndFamily(middleShare: number): (draw: CultureDraw) => PersonName {
  return (draw) => ({
    given: draw.random.chance(middleShare)
      ? distinctTokens([...draw.given(), ...draw.given()])
      : draw.given(),
    family: draw.family(),
  });
}

/** Builds a naming culture from its lists and composition rule. */
export function defineCulture(spec: CultureSpec): NamingCulture {
  const male = parseNameList(spec.male);
  const female = parseNameList(spec.female);
  const family = parseNameList(spec.family);
  const extra = new Map(Object.entries(spec.lists ?? {}).map(([name, text]) => [name, parseNameList(text)]));
  const hyphenFirst = spec.hyphenFirst ?? false;
  const compile = (list: readonly NameEntry[]) => list.map((entry) => compileEntry(entry, hyphenFirst));
  const draw = new ListDraw(
    compile(male),
    compile(female),
    compile(family),
    new Map([...extra].map(([name, list]) => [name, compile(list)])),
    spec.givenSkew ?? 2.2,
    spec.familySkew ?? 2.2,
  );
  const lookup = variantLookup([male, female, family, ...extra.values()], hyphenFirst);
  const tokensOf = (text: string): NameToken[] =>
    text
      .split(" ")
      .filter((word) => word.length > 0)
      .map((word) => {
        const forms = syllableForms(word.replaceAll("_", " "), hyphenFirst);
        return { text: forms[0]!, variants: lookup.get(forms[0]!) ?? (forms.length > 1 ? forms : null) };
      });
  const compose = spec.compose ?? givenAndFamily(spec.middleShare ?? 0.3);
  const common = {
    M: { given: tokensOf(spec.common.M[0]!), family: spec.common.M.slice(1).flatMap(tokensOf) },
    F: { given: tokensOf(spec.common.F[0]!), family: spec.common.F.slice(1).flatMap(tokensOf) },
  };
  const vocabulary = vocabularyOf(male, female, family, ...extra.values());
  if (spec.derivedForms !== undefined) {
    const spellingsOf = (list: readonly NameEntry[]) =>
      list.flatMap((entry) =>
        entry.flatMap((spellings) => spellings.flatMap((spelling) => syllableForms(spelling, hyphenFirst))),
      );
    for (const form of spec.derivedForms({ male: spellingsOf(male), family: spellingsOf(family) })) {
      for (const word of vocabularyOf([[[form]]])) vocabulary.add(word);
    }
  }
  return {
    id: spec.id,
    vocabulary,
    commonName: (sex) => common[sex],
    compose(random, sex) {
      draw.random = random;
      draw.sex = sex;
      return compose(draw);
    },
  };
}

/** Family units with two surnames (paternal, maternal), as Spanish naming writes them. */
export function twoSurnames(
  draw: CultureDraw,
  secondGivenShare: number,
  secondSurnameShare: number,
): PersonName {
  const given = draw.random.chance(secondGivenShare) ? [...draw.given(), ...draw.given()] : draw.given();
  const paternal = draw.family();
  if (!draw.random.chance(secondSurnameShare)) return { given, family: paternal };
  let maternal = draw.family();
  for (let attempt = 0; attempt < 3 && maternal[0]!.text === paternal[0]!.text; attempt++)
    maternal = draw.family();
  return { given, family: [...paternal, ...maternal] };
}

/** Removes duplicate adjacent given tokens ("José José") that independent draws can produce. */
export function distinctTokens(tokens: readonly NameToken[]): NameToken[] {
  return tokens.filter((token, index) => index === 0 || token.text !== tokens[index - 1]!.text);
}
