import { NAME_VARIANTS } from "./name-variants.ts";

const VOWELS = new Set(["a", "e", "i", "o", "u", "y"]);
/** A leading y is a consonant (Yusuf), so only these open a key with `a`. */
const INITIAL_VOWELS = new Set(["a", "e", "i", "o", "u"]);

/** Spelling rewrites that transliterations disagree on, applied before the consonant skeleton. */
const REWRITES: readonly (readonly [RegExp, string])[] = [
  [/ph/g, "f"],
  [/ck/g, "k"],
  [/x/g, "ks"],
  [/q/g, "k"],
  [/c(?=[eiy])/g, "s"],
  [/sch/g, "sh"],
  [/tch/g, "ch"],
  [/dj/g, "j"],
  [/dzh/g, "j"],
  [/c/g, "k"],
  [/z/g, "s"],
  [/w/g, "v"],
  [/^j/g, "y"],
  [/dh/g, "d"],
  [/th/g, "t"],
  [/gh/g, "g"],
  [/kh/g, "h"],
];

/**
 * A coarse sound key for blocking: the variant-canonical spelling, common transliteration
 * differences rewritten, then the first letter (any vowel written `a`) and the following
 * consonants with repeats collapsed, at most 6 characters. Mohammed, Muhammad and Mohamed
 * share `mhmd`; Yusuf, Youssef and Jusuf share `ysf`; Aleksandr and Alexander share `alksnd`.
 * Coarse on purpose: it only decides which records are compared, never whether they match.
 */
export function phoneticKey(foldedToken: string): string {
  if (foldedToken.length === 0) return "";
  let word = NAME_VARIANTS.get(foldedToken) ?? foldedToken;
  for (const [pattern, replacement] of REWRITES) word = word.replace(pattern, replacement);
  const first = word[0]!;
  let key = INITIAL_VOWELS.has(first) ? "a" : first;
  let previous = first;
  for (let index = 1; index < word.length && key.length < 6; index += 1) {
    const letter = word[index]!;
    const afterVowel = VOWELS.has(previous);
    previous = letter;
    if (VOWELS.has(letter)) continue;
    // An h after a consonant only modifies it (sh, kh); after a vowel it is heard (Mohammed).
    if (letter === "h" && !afterVowel) continue;
    // Doubled letters are one sound; the same consonant either side of a vowel (Mamadou) is two.
    if (letter !== key[key.length - 1] || afterVowel) key += letter;
  }
  return key;
}
