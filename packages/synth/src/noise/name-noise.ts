import type { NameToken, PersonName } from "../names/person-name.ts";
import type { SeededRandom } from "../random/seeded-random.ts";

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const NEIGHBOURS = new Map<string, string>();
for (let row = 0; row < KEYBOARD_ROWS.length; row++) {
  const keys = KEYBOARD_ROWS[row]!;
  for (let column = 0; column < keys.length; column++) {
    const near = [
      keys[column - 1],
      keys[column + 1],
      KEYBOARD_ROWS[row - 1]?.[column],
      KEYBOARD_ROWS[row + 1]?.[column],
    ];
    NEIGHBOURS.set(keys[column]!, near.filter((key): key is string => key !== undefined).join(""));
  }
}

const LETTER = /\p{L}/u;

function isLetter(character: string | undefined): boolean {
  return character !== undefined && LETTER.test(character);
}

function neighbourOf(random: SeededRandom, character: string): string {
  const lower = character.toLowerCase();
  const near = NEIGHBOURS.get(lower) ?? "aeiou";
  let replacement = near[random.below(near.length)]!;
  if (replacement === lower) replacement = lower === "a" ? "e" : "a";
  return character === lower ? replacement : replacement.toUpperCase();
}

/**
 * One keyboard slip in a name: a neighbouring key, a dropped letter, a doubled letter or two
 * letters transposed. The result always differs from the input and keeps at least one letter.
 */
export function typo(random: SeededRandom, text: string): string {
  const positions: number[] = [];
  for (let index = 0; index < text.length; index++) if (isLetter(text[index])) positions.push(index);
  if (positions.length === 0) return text;
  const position = positions[random.below(positions.length)]!;
  const character = text[position]!;
  const before = text.slice(0, position);
  const after = text.slice(position + 1);
  switch (random.below(4)) {
    case 1:
      if (positions.length > 2) return before + after;
      break;
    case 2:
      return before + character + character + after;
    case 3: {
      const next = text[position + 1];
      if (isLetter(next) && next!.toLowerCase() !== character.toLowerCase()) {
        return before + next + character + text.slice(position + 2);
      }
      break;
    }
  }
  return before + neighbourOf(random, character) + after;
}

/** Whether the family name has a form that sources write differently (two surnames, particles, hyphens). */
export function hasCompoundSurname(name: PersonName): boolean {
  return name.family.length >= 2 || /[\s\-']/.test(name.family[0]?.text ?? "");
}

const plain = (text: string): NameToken => ({ text, variants: null });

function capitaliseFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The family name as another source writes it: two surnames cut to one, hyphenated, joined, or
 * the last one taken as "the" surname; a particle joined, dropped, hyphenated or moved to the
 * given names; a hyphen or apostrophe replaced or removed.
 */
export function surnameVariant(random: SeededRandom, name: PersonName): PersonName {
  const family = name.family.map((token) => token.text);
  if (family.length >= 2) {
    switch (random.below(4)) {
      case 0:
        return { given: name.given, family: name.family.slice(0, -1) };
      case 1:
        return { given: name.given, family: [plain(family.join("-"))] };
      case 2:
        return { given: name.given, family: [plain(family.join(""))] };
      default:
        return { given: [...name.given, ...name.family.slice(0, -1)], family: name.family.slice(-1) };
    }
  }
  const unit = family[0]!;
  if (/\s/.test(unit)) {
    const words = unit.split(/\s+/);
    switch (random.below(4)) {
      case 0:
        return { given: name.given, family: [plain(capitaliseFirst(words.join("")))] };
      case 1:
        return { given: name.given, family: [plain(words[words.length - 1]!)] };
      case 2:
        return {
          given: [...name.given, ...words.slice(0, -1).map(plain)],
          family: [plain(words[words.length - 1]!)],
        };
      default:
        return { given: name.given, family: [plain(words.join("-"))] };
    }
  }
  if (unit.includes("-")) {
    const parts = unit.split("-");
    switch (random.below(3)) {
      case 0:
        return { given: name.given, family: [plain(parts.map(capitaliseFirst).join(" "))] };
      case 1:
        return { given: name.given, family: [plain(capitaliseFirst(parts.join("").toLowerCase()))] };
      default:
        return { given: name.given, family: [plain(capitaliseFirst(parts[parts.length - 1]!))] };
    }
  }
  return {
    given: name.given,
    family: [plain(random.chance(0.5) ? unit.replaceAll("'", "") : unit.replaceAll("'", " "))],
  };
}
