import { characterMask } from "../compare/jaro-winkler.ts";
import { foldText } from "./fold-text.ts";
import { NAME_VARIANTS } from "./name-variants.ts";
import { phoneticKey } from "./phonetic-key.ts";

/** Which part of a name a column holds; particles are dropped only from family and full names. */
export type NameRole = "given" | "family" | "full";

/** A name ready for comparison and blocking. Equal spellings give the identical object when memoised. */
export interface StandardName {
  /** Folded tokens (particles dropped) joined: "de la Cruz" gives "cruz", "García-López" "garcialopez". */
  readonly folded: string;
  /** Every folded word, particles included, joined: "de la Cruz", "De La Cruz" and "Delacruz" agree. */
  readonly joined: string;
  /** Folded tokens with particles removed, in written order. */
  readonly tokens: readonly string[];
  /** Variant-canonical tokens, sorted and joined by spaces: order-free and spelling-free. */
  readonly canonical: string;
  readonly canonicalTokens: ReadonlySet<string>;
  /** The same tokens as a list (iterating a list allocates nothing, on the hot path). */
  readonly canonicalList: readonly string[];
  /** The term-frequency key of the canonical spelling (built once: keys are looked up per pair). */
  readonly canonicalKey: string;
  /** Folded tokens sorted and joined without spaces, for similarity that ignores token order. */
  readonly sortedFolded: string;
  /** Character mask of `folded` (and so of `sortedFolded`), to skip similarity that cannot reach a level. */
  readonly foldedMask: number;
  /** Sound key of the first significant token (blocking). */
  readonly phonetic: string;
  /**
   * Sound key of the first word that is no particle, whatever the role: the key of the
   * either-order blocking rule, so "Dang / Van Hung" meets "Van Hung / Dang" although a family
   * name drops "van" as a particle and a given name keeps it.
   */
  readonly pairPhonetic: string;
  /** Sound key of the last token (second surnames, family-name-last full names). */
  readonly lastPhonetic: string;
  /** Sound key of every word joined, particles included: "Von Berg" and "Vonberg" agree. */
  readonly joinedPhonetic: string;
  /** First letter of the folded name. */
  readonly initial: string;
}

/**
 * Surname particles that sources keep, drop, glue on or hyphenate at will ("de la Cruz",
 * "al-Hassan", "van der Berg", "bin Laden"). They carry almost no identifying information.
 */
const PARTICLES = new Set([
  "de",
  "del",
  "della",
  "dela",
  "da",
  "das",
  "dos",
  "do",
  "di",
  "du",
  "des",
  "la",
  "le",
  "lo",
  "los",
  "las",
  "van",
  "von",
  "der",
  "den",
  "ter",
  "ten",
  "te",
  "vd",
  "al",
  "el",
  "ul",
  "bin",
  "ibn",
  "bint",
  "ben",
  "y",
  "e",
]);

/**
 * A name's folded words, those without particles, and its tokens (the words, particles dropped
 * unless it is a given name or all particles), as `standardiseName` takes them; undefined for a
 * name with no letters. Cheap beside the whole standard name (no sound keys, masks or sets): the
 * person-search projection needs only the tokens.
 */
export function nameWordsOf(
  raw: string,
  role: NameRole,
): { words: string[]; withoutParticles: string[]; tokens: string[] } | undefined {
  const words = foldText(raw)
    .split(" ")
    .filter((word) => word.length > 0 && !/^\d+$/.test(word));
  if (words.length === 0) return undefined;
  const withoutParticles = words.filter((word) => !PARTICLES.has(word));
  const tokens = role === "given" || withoutParticles.length === 0 ? words : withoutParticles;
  return { words, withoutParticles, tokens };
}

/**
 * Standardises a name: folds case, diacritics and scripts, splits hyphenated and compound
 * names into tokens, drops particles (keeping at least one token), and maps transliteration
 * variants to one canonical spelling. Returns undefined for a name with no letters.
 */
export function standardiseName(raw: string, role: NameRole): StandardName | undefined {
  const split = nameWordsOf(raw, role);
  if (split === undefined) return undefined;
  const { words, withoutParticles, tokens } = split;
  const canonicalTokens = tokens.map((token) => NAME_VARIANTS.get(token) ?? token);
  const folded = tokens.join("");
  const canonical = [...canonicalTokens].sort().join(" ");
  return {
    folded,
    joined: words.join(""),
    tokens,
    canonical,
    canonicalKey: `~${canonical}`,
    canonicalTokens: new Set(canonicalTokens),
    canonicalList: [...new Set(canonicalTokens)],
    sortedFolded: tokens.length === 1 ? folded : [...tokens].sort().join(""),
    foldedMask: characterMask(folded),
    phonetic: leadingSoundKey(tokens),
    pairPhonetic: leadingSoundKey(withoutParticles.length > 0 ? withoutParticles : words),
    lastPhonetic: phoneticKey(tokens[tokens.length - 1]!),
    joinedPhonetic: phoneticKey(words.join("")),
    initial: folded[0]!,
  };
}

/**
 * Sound key of a name's leading token for blocking. A leading token of one or two letters that
 * is no particle is glued to the next ("St Fleur", "Mc Donald", "O Brien"): sources write these
 * names with and without the space, and "st" alone would key every Saint-name together.
 */
function leadingSoundKey(tokens: readonly string[]): string {
  const first = tokens[0]!;
  return phoneticKey(first.length <= 2 && tokens.length > 1 ? first + tokens[1]! : first);
}

/** A memoising standardiser: each distinct spelling is standardised once and shared. */
export function createNameStandardiser(role: NameRole): (raw: string) => StandardName | undefined {
  const cache = new Map<string, StandardName | undefined>();
  return (raw) => {
    let standard = cache.get(raw);
    if (standard === undefined && !cache.has(raw)) {
      standard = standardiseName(raw, role);
      cache.set(raw, standard);
    }
    return standard;
  };
}
