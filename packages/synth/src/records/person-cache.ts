import { isoDate } from "../calendar/day-number.ts";
import { foldToAscii, type NameToken, type PersonName } from "../names/person-name.ts";
import { hasCompoundSurname } from "../noise/name-noise.ts";
import type { IdentifierFactory } from "./identifier-factory.ts";
import type { Identity } from "./identity.ts";

/** ASCII upper-case forms of name tokens: a vocabulary-sized cache, since every person's name is written many times. */
const machineTokens = new Map<string, string>();

function machineToken(text: string): string {
  let written = machineTokens.get(text);
  if (written === undefined) {
    written = foldToAscii(text).toUpperCase();
    if (machineTokens.size < 200_000) machineTokens.set(text, written);
  }
  return written;
}

function styled(text: string, machine: boolean): string {
  return machine ? machineToken(text) : text;
}

function writeTokens(tokens: readonly NameToken[], machine: boolean): string {
  if (tokens.length === 1) return styled(tokens[0]!.text, machine);
  let text = "";
  for (let index = 0; index < tokens.length; index++) {
    if (index > 0) text += " ";
    text += styled(tokens[index]!.text, machine);
  }
  return text;
}

/** Tokens whose variants would change what a source writes (in that source's style). */
export function transliterationCandidates(
  name: PersonName,
  machine: boolean,
): { index: number; options: string[] }[] {
  const tokens = [...name.given, ...name.family];
  const candidates: { index: number; options: string[] }[] = [];
  tokens.forEach((token, index) => {
    if (token.variants === null) return;
    const current = styled(token.text, machine);
    const options = token.variants.filter((variant) => styled(variant, machine) !== current);
    if (options.length > 0) candidates.push({ index, options });
  });
  return candidates;
}

/** The name with one token (by position over given then family tokens) written another way. */
export function withToken(name: PersonName, index: number, text: string): PersonName {
  const replace = (tokens: readonly NameToken[], offset: number) =>
    tokens.map((token, position) =>
      position + offset === index ? { text, variants: token.variants } : token,
    );
  return { given: replace(name.given, 0), family: replace(name.family, name.given.length) };
}

/** What every record of one person shares, computed once: identifiers, birth date parts, name forms. */
export class PersonCache {
  readonly names: NameCache;
  readonly birthIso: string;
  readonly birthMonth: string;
  readonly birthDayOfMonth: string;
  private aNumbers: [string | null, string | null] = [null, null];
  private passports: [string | null, string | null] = [null, null];
  private finNumber: string | null = null;

  constructor(
    private readonly identity: Identity,
    private readonly ids: IdentifierFactory,
  ) {
    this.names = new NameCache(identity.name);
    this.birthIso = isoDate(identity.birthDay);
    this.birthMonth = this.birthIso.slice(5, 7);
    this.birthDayOfMonth = this.birthIso.slice(8, 10);
  }

  aNumber(alternate: boolean): string {
    const slot = alternate ? 1 : 0;
    this.aNumbers[slot] ??= this.ids.aNumber(this.identity.index, alternate);
    return this.aNumbers[slot]!;
  }

  passport(renewed: boolean): string {
    const slot = renewed ? 1 : 0;
    const nationality = this.identity.nationality;
    this.passports[slot] ??= this.ids.passport(
      nationality.code,
      nationality.passport,
      this.identity.index,
      renewed,
    );
    return this.passports[slot]!;
  }

  fin(): string {
    this.finNumber ??= this.ids.key("fin", this.identity.index, 0);
    return this.finNumber;
  }
}

/** A person's name written in each style, computed once per person rather than once per record. */
export class NameCache {
  private machine: [family: string, given: string] | null = null;
  private display: [family: string, given: string] | null = null;
  private machineCandidates: { index: number; options: string[] }[] | null = null;
  private displayCandidates: { index: number; options: string[] }[] | null = null;
  readonly compound: boolean;

  constructor(readonly name: PersonName) {
    this.compound = hasCompoundSurname(name);
  }

  writtenIn(machine: boolean): [family: string, given: string] {
    if (machine) {
      this.machine ??= writeName(this.name, true);
      return this.machine;
    }
    this.display ??= writeName(this.name, false);
    return this.display;
  }

  transliterationCandidates(machine: boolean): { index: number; options: string[] }[] {
    if (machine) {
      this.machineCandidates ??= transliterationCandidates(this.name, true);
      return this.machineCandidates;
    }
    this.displayCandidates ??= transliterationCandidates(this.name, false);
    return this.displayCandidates;
  }
}

/** Family and given names as one source writes them (display, or upper-case ASCII). */
export function writeName(name: PersonName, machine: boolean): [family: string, given: string] {
  return [writeTokens(name.family, machine), writeTokens(name.given, machine)];
}
