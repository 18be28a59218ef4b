import type { SeededRandom } from "../random/seeded-random.ts";

/** One word (or unit, like "de la Cruz") of a name, with the other spellings it is known by. */
export interface NameToken {
  readonly text: string;
  /** Every spelling of this token, including `text`; null when it has no variants. */
  readonly variants: readonly string[] | null;
}

/** A person's true name, as tokens: given names, and family name units (two surnames are two units). */
export interface PersonName {
  readonly given: readonly NameToken[];
  readonly family: readonly NameToken[];
}

export type Sex = "M" | "F";

/** A naming culture: how people of it are named, with the vocabulary it draws from. */
export interface NamingCulture {
  readonly id: string;
  compose(random: SeededRandom, sex: Sex): PersonName;
  /** Every word the culture's lists can produce, lower-cased and without diacritics (for tests). */
  readonly vocabulary: ReadonlySet<string>;
  /** The most common full name of each sex, which many distinct people share. */
  commonName(sex: Sex): PersonName;
}

/** A list entry: one or more tokens, each a list of spellings (the first the most common). */
export type NameEntry = readonly (readonly string[])[];

/**
 * Parses a compact name list: entries separated by commas, tokens by spaces, spellings of a
 * token by "/"; "_" stands for a space inside one unit ("de_la_Cruz"), "|" marks a syllable
 * break that sources write joined, spaced or hyphenated ("Xiao|ming").
 */
export function parseNameList(text: string): readonly NameEntry[] {
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) =>
      entry.split(/\s+/).map((token) => token.split("/").map((spelling) => spelling.replaceAll("_", " "))),
    );
}

function capitalise(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

/** The written forms of a syllable-marked spelling: joined first, then hyphenated and spaced. */
export function syllableForms(spelling: string, hyphenFirst: boolean): string[] {
  if (!spelling.includes("|")) return [spelling];
  const parts = spelling.split("|");
  const joined = parts.join("");
  const hyphenated = parts.join("-");
  const hyphenatedCapitals = parts.map(capitalise).join("-");
  const spaced = parts.map(capitalise).join(" ");
  return hyphenFirst
    ? [hyphenated, joined, hyphenatedCapitals, spaced]
    : [joined, spaced, hyphenatedCapitals];
}

/** A list entry's token, prepared once: one ready token per spelling, sharing the variants list. */
export interface CompiledToken {
  readonly options: readonly NameToken[];
}
export type CompiledEntry = readonly CompiledToken[];

/** Prepares a list entry for drawing (syllable forms written per the culture's convention). */
export function compileEntry(entry: NameEntry, hyphenFirst: boolean): CompiledEntry {
  return entry.map((spellings) => {
    const forms = spellings.flatMap((spelling) => syllableForms(spelling, hyphenFirst));
    const variants = forms.length > 1 ? forms : null;
    return {
      options: spellings.map((spelling) => ({ text: syllableForms(spelling, hyphenFirst)[0]!, variants })),
    };
  });
}

/**
 * A token of a list entry: the person's own spelling is usually the most common one,
 * sometimes another (people are really called Muhammad as well as Mohammed).
 */
export function tokenFrom(random: SeededRandom, token: CompiledToken): NameToken {
  const options = token.options;
  if (options.length === 1) return options[0]!;
  return random.chance(0.7) ? options[0]! : options[random.below(options.length)]!;
}

/** The tokens of one entry drawn from a frequency-ordered list. */
export function drawEntry(random: SeededRandom, list: readonly CompiledEntry[], skew = 2.2): NameToken[] {
  const entry = random.skewed(list, skew);
  const tokens: NameToken[] = new Array(entry.length);
  for (let index = 0; index < entry.length; index++) tokens[index] = tokenFrom(random, entry[index]!);
  return tokens;
}

/** Maps a token's text and all its variants (e.g. to a feminine surname form). */
export function mapToken(token: NameToken, transform: (text: string) => string): NameToken {
  return {
    text: transform(token.text),
    variants: token.variants === null ? null : [...new Set(token.variants.map(transform))],
  };
}

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: "ss",
  ø: "o",
  Ø: "O",
  ł: "l",
  Ł: "L",
  ı: "i",
  đ: "d",
  Đ: "D",
  æ: "ae",
  Æ: "AE",
  œ: "oe",
  Œ: "OE",
  ð: "d",
  þ: "th",
};

/** ASCII form of a name (diacritics removed, as machine-readable travel documents write it). */
export function foldToAscii(text: string): string {
  let folded = text.normalize("NFD").replace(COMBINING_MARKS, "");
  if (/[^\u0020-\u007e]/.test(folded)) {
    folded = folded.replace(/[^\u0020-\u007e]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
  }
  return folded;
}

/** Words of a culture's lists, for the vocabulary set. */
export function vocabularyOf(...lists: (readonly NameEntry[])[]): Set<string> {
  const words = new Set<string>();
  for (const list of lists) {
    for (const entry of list) {
      for (const spellings of entry) {
        for (const spelling of spellings) {
          for (const form of syllableForms(spelling, false)) {
            for (const word of foldToAscii(form)
              .toLowerCase()
              .split(/[\s\-'.]+/)) {
              if (word.length > 0) words.add(word);
            }
          }
        }
      }
    }
  }
  return words;
}
