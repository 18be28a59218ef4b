import { type DayNumber, dayFromParts, yearOf } from "../calendar/day-number.ts";
import type { NationalityProfile } from "../names/nationality-profiles.ts";
import type { NamingCulture, PersonName } from "../names/person-name.ts";
import type { SeededRandom } from "../random/seeded-random.ts";

/** Sex as the person's documents record it. */
export type DocumentedSex = "M" | "F" | "X";

/** Who a synthetic person truly is: the facts every source row about them is a (noisy) view of. */
export interface Identity {
  readonly index: number;
  readonly personId: string;
  sex: DocumentedSex;
  /** The birth date their documents carry (1 January when the true date was never known). */
  birthDay: DayNumber;
  readonly nationality: NationalityProfile;
  readonly countryOfBirth: string;
  readonly culture: NamingCulture;
  name: PersonName;
  /** Whether the person holds a passport that records can cite (most EWI entrants have none on file). */
  hasPassport: boolean;
  /** Whether this person was given one of the culture's most common names (the namesake problem). */
  readonly commonName: boolean;
}

/** `P` + the 1-based index, zero-padded to 7 digits. */
export function personIdOf(index: number): string {
  const text = String(index + 1);
  return "P" + (text.length >= 7 ? text : "0".repeat(7 - text.length) + text);
}

/** A birth date `minAge`..`maxAge` whole years before `onDay`; 1 January when the culture's records use the placeholder. */
export function drawBirthDay(
  random: SeededRandom,
  onDay: DayNumber,
  minAge: number,
  maxAge: number,
  placeholderShare: number,
): DayNumber {
  const latest = onDay - Math.round(minAge * 365.25);
  const earliest = onDay - Math.round((maxAge + 1) * 365.25) + 1;
  const day = random.between(earliest, latest);
  return random.chance(placeholderShare) ? dayFromParts(yearOf(day), 1, 1) : day;
}
