import type { PassportFormat } from "../names/nationality-profiles.ts";
import { digits, IdentifierPermutation } from "../random/identifier-permutation.ts";
import { mix32 } from "../random/seeded-random.ts";

/** Slots per person for each kind of record key (more events than this per person never occur). */
export const SLOTS_PER_PERSON = 64;

/**
 * Record keys: a prefix and the permuted value written with `width` digits. Each value space is
 * a power of two below 10^width, so the permutation needs no cycle-walking (2^36 keys of 11
 * digits: 2^36 / 64 slots = a billion persons; 2^32 of 10 digits: 67 million persons).
 */
const KEY_KINDS = {
  visa: { prefix: "V", width: 11, bits: 36 },
  departure: { prefix: "D", width: 11, bits: 36 },
  courtEvent: { prefix: "CE", width: 11, bits: 36 },
  courtCase: { prefix: "", width: 10, bits: 32 },
  booking: { prefix: "B", width: 11, bits: 36 },
  encounter: { prefix: "EN", width: 11, bits: 36 },
  disposition: { prefix: "CR", width: 11, bits: 36 },
  certificate: { prefix: "", width: 11, bits: 36 },
  travelDocument: { prefix: "TD", width: 10, bits: 32 },
  fin: { prefix: "", width: 10, bits: 32 },
} as const;
export type KeyKind = keyof typeof KEY_KINDS;

/** USCIS receipt-number service centres by form (DOMAIN.md §2.1). */
const RECEIPT_CENTRES: Readonly<Record<string, readonly string[]>> = {
  "I-589": ["ZLA", "ZNY", "ZSF", "ZHN", "ZAR", "ZCH", "ZMI", "ZNK"],
  "I-485": ["MSC", "IOE", "LIN", "SRC", "EAC", "WAC", "NBC"],
  "I-821": ["EAC", "WAC", "LIN", "SRC", "IOE"],
  "I-821D": ["NBC", "IOE", "LIN", "SRC"],
  "I-914": ["EAC", "VSC"],
  "I-918": ["EAC", "VSC"],
  "I-360": ["EAC", "VSC", "IOE"],
  "I-539": ["WAC", "EAC", "IOE", "SRC"],
  "I-246": ["ERO"],
  "N-400": ["IOE", "NBC", "MSC"],
};

/** Places in a passport pattern: "#" a digit, "@" a letter. */
const DIGIT_PLACE = 35;
const LETTER_PLACE = 64;

/** Alien registration numbers run from A010000000; those below A100000000 are written with 8 digits. */
const A_NUMBER_BASE = 10_000_000;

/**
 * Every identifier of a run: keyed bijections of (person index, slot), so that identifiers are
 * unique across persons by construction and depend only on the seed.
 */
export class IdentifierFactory {
  private readonly keys = new Map<KeyKind, IdentifierPermutation>();
  private readonly aNumbers: IdentifierPermutation;
  private readonly receipts: IdentifierPermutation;
  private readonly i94Numeric: IdentifierPermutation;
  private readonly i94Alphanumeric: IdentifierPermutation;
  private readonly passports = new Map<string, IdentifierPermutation>();
  private readonly seedKey: number;

  constructor(seedKey: number) {
    this.seedKey = seedKey;
    let salt = 1;
    for (const [kind, format] of Object.entries(KEY_KINDS)) {
      this.keys.set(kind as KeyKind, new IdentifierPermutation(mix32(seedKey + salt++), 2 ** format.bits));
    }
    this.aNumbers = new IdentifierPermutation(mix32(seedKey + 101), 2 ** 28);
    this.receipts = new IdentifierPermutation(mix32(seedKey + 102), 2 ** 32);
    this.i94Numeric = new IdentifierPermutation(mix32(seedKey + 103), 2 ** 36);
    this.i94Alphanumeric = new IdentifierPermutation(mix32(seedKey + 104), 2 ** 36);
  }

  /** The record key of the `slot`-th record of one kind for the person. */
  key(kind: KeyKind, personIndex: number, slot: number): string {
    const format = KEY_KINDS[kind];
    const value = this.keys.get(kind)!.apply(personIndex * SLOTS_PER_PERSON + slot);
    return format.prefix + digits(value, format.width);
  }

  /** The person's A-number (`alternate` = the second one a duplicate A-file gave them), 8 or 9 digits. */
  aNumber(personIndex: number, alternate: boolean): string {
    return String(A_NUMBER_BASE + this.aNumbers.apply(personIndex * 2 + (alternate ? 1 : 0)));
  }

  receipt(form: string, centreChoice: number, personIndex: number, slot: number): string {
    const centres = RECEIPT_CENTRES[form] ?? ["IOE"];
    const centre = centres[centreChoice % centres.length]!;
    return centre + digits(this.receipts.apply(personIndex * SLOTS_PER_PERSON + slot), 10);
  }

  /** An I-94 number: 11 digits before May 2019, then 9 digits, a letter and a digit (DOMAIN.md §1.2). */
  i94(personIndex: number, slot: number, alphanumeric: boolean): string {
    const input = personIndex * SLOTS_PER_PERSON + slot;
    if (!alphanumeric) return digits(this.i94Numeric.apply(input), 11);
    const value = this.i94Alphanumeric.apply(input);
    const letter = String.fromCharCode(65 + (Math.floor(value / 10) % 26));
    return digits(Math.floor(value / 260), 9) + letter + String(value % 10);
  }

  /** The person's passport number in their country's format (`renewal` = the number after renewing). */
  passport(country: string, format: PassportFormat, personIndex: number, renewal: boolean): string {
    let permutation = this.passports.get(country);
    if (permutation === undefined) {
      permutation = new IdentifierPermutation(
        mix32(
          this.seedKey + country.charCodeAt(0) * 977 + country.charCodeAt(1) * 31 + country.charCodeAt(2),
        ),
        format.space,
      );
      this.passports.set(country, permutation);
    }
    let value = permutation.apply((personIndex * 2 + (renewal ? 1 : 0)) % format.space);
    // Character codes filled from the last position, made into a string once.
    const pattern = format.pattern;
    const codes = new Array<number>(pattern.length);
    for (let position = pattern.length - 1; position >= 0; position--) {
      const character = pattern.charCodeAt(position);
      if (character === DIGIT_PLACE) {
        codes[position] = 48 + (value % 10);
        value = Math.floor(value / 10);
      } else if (character === LETTER_PLACE) {
        codes[position] = 65 + (value % 26);
        value = Math.floor(value / 26);
      } else {
        codes[position] = character;
      }
    }
    return String.fromCharCode(...codes);
  }
}
