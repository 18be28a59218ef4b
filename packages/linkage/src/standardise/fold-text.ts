/**
 * Letters that Unicode decomposition leaves alone but that sources spell in plain Latin
 * (German sharp s, Scandinavian slashed o, Turkish dotless i, ...).
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ł: "l",
  ı: "i",
  ħ: "h",
  ŀ: "l",
  ŉ: "n",
  ĸ: "k",
  ſ: "s",
};

/**
 * Common passport-style romanisation of Cyrillic (ICAO 9303 close enough for matching), so a
 * name recorded in Cyrillic in one system meets its Latin spelling from another.
 */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: "a",
  б: "b",
  в: "v",
  г: "g",
  д: "d",
  е: "e",
  ё: "e",
  ж: "zh",
  з: "z",
  и: "i",
  й: "i",
  к: "k",
  л: "l",
  м: "m",
  н: "n",
  о: "o",
  п: "p",
  р: "r",
  с: "s",
  т: "t",
  у: "u",
  ф: "f",
  х: "kh",
  ц: "ts",
  ч: "ch",
  ш: "sh",
  щ: "shch",
  ъ: "",
  ы: "y",
  ь: "",
  э: "e",
  ю: "iu",
  я: "ia",
  і: "i",
  ї: "i",
  є: "ie",
  ґ: "g",
};

/** Greek letters, romanised per ELOT 743 (simplified). */
const GREEK: Readonly<Record<string, string>> = {
  α: "a",
  β: "v",
  γ: "g",
  δ: "d",
  ε: "e",
  ζ: "z",
  η: "i",
  θ: "th",
  ι: "i",
  κ: "k",
  λ: "l",
  μ: "m",
  ν: "n",
  ξ: "x",
  ο: "o",
  π: "p",
  ρ: "r",
  σ: "s",
  ς: "s",
  τ: "t",
  υ: "y",
  φ: "f",
  χ: "ch",
  ψ: "ps",
  ω: "o",
};

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^a-z0-9]+/g;
const ASCII_CLEAN = /^[a-z0-9 ]*$/;

/**
 * Lower-case ASCII letters and digits separated by single spaces: diacritics removed,
 * special letters, Cyrillic and Greek romanised, punctuation (hyphens, apostrophes, dots)
 * turned into word breaks. Idempotent.
 */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  if (ASCII_CLEAN.test(lower) && !lower.includes("  ") && lower.trim() === lower) return lower;
  const decomposed = lower.normalize("NFKD").replace(COMBINING_MARKS, "");
  let romanised = "";
  for (const character of decomposed) {
    romanised += SPECIAL_LETTERS[character] ?? CYRILLIC[character] ?? GREEK[character] ?? character;
  }
  return romanised.replace(NOT_LETTER_OR_DIGIT, " ").trim();
}

/** Letters and digits only, upper-case: the comparable form of an identifier. */
export function compactIdentifier(text: string): string {
  return foldText(text).replace(/ /g, "").toUpperCase();
}
