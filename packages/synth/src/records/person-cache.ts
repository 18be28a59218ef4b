import { isoDate } from "../calendar/day-number.ts";
import { foldToAscii, type NameToken, type PersonName } from "../names/person-name.ts";
import { hasCompoundSurname } from "../noise/name-noise.ts";
import type { IdentifierFactory } from "./identifier-factory.ts";
import type { Identity } from "./identity.ts";

/** What a name token looks like in each source style, computed once per token. */
interface TokenForms {
  /** ASCII upper case, as machine-readable documents write it. */
  readonly machine: string;
  /** Variants that a display-style source would write differently from the token. */
  readonly displayOptions: readonly string[];
  /** Variants that a machine-style source would write differently from the token. */
  readonly machineOptions: readonly string[];
}

/**
 * The forms are kept on the token object itself (under a private symbol): tokens of the name
 * lists are shared by every person drawing them, and a property read is far cheaper than the
 * hash lookups by text this replaced, which were a large part of writing names.
 */
const FORMS = Symbol("name token forms");
type TokenWithForms = NameToken & { [FORMS]?: TokenForms };

const NO_OPTIONS: readonly string[] = [];

/** Machine forms by text, for tokens made afresh per person (feminine surname forms, noise). */
const machineForms = new Map<string, string>();

function machineForm(text: string): string {
  let written = machineForms.get(text);
  if (written === undefined) {
    written = foldToAscii(text).toUpperCase();
    if (machineForms.size < 200_000) machineForms.set(text, written);
  }
  return written;
}

function formsOf(token: NameToken): TokenForms {
  const cached = (token as TokenWithForms)[FORMS];
  if (cached !== undefined) return cached;
  const machine = machineForm(token.text);
  const variants = token.variants;
  const forms: TokenForms = {
    machine,
    displayOptions: variants === null ? NO_OPTIONS : variants.filter((variant) => variant !== token.text),
    machineOptions:
      variants === null ? NO_OPTIONS : variants.filter((variant) => machineForm(variant) !== machine),
  };
  (token as TokenWithForms)[FORMS] = forms;
  return forms;
}

function writeTokens(tokens: readonly NameToken[], machine: boolean): string {
  if (tokens.length === 1) return machine ? formsOf(tokens[0]!).machine : tokens[0]!.text;
  let text = "";
  for (let index = 0; index < tokens.length; index++) {
    if (index > 0) text += " ";
    text += machine ? formsOf(tokens[index]!).machine : tokens[index]!.text;
  }
  return text;
}

/** Tokens whose variants would change what a source writes (in that source's style). */
export function transliterationCandidates(
  name: PersonName,
  machine: boolean,
): { index: number; options: readonly string[] }[] {
  const candidates: { index: number; options: readonly string[] }[] = [];
  addCandidates(candidates, name.given, 0, machine);
  addCandidates(candidates, name.family, name.given.length, machine);
  return candidates;
}

function addCandidates(
  candidates: { index: number; options: readonly string[] }[],
  tokens: readonly NameToken[],
  offset: number,
  machine: boolean,
): void {
  for (let position = 0; position < tokens.length; position++) {
    const token = tokens[position]!;
    if (token.variants === null) continue;
    const forms = formsOf(token);
    const options = machine ? forms.machineOptions : forms.displayOptions;
    if (options.length > 0) candidates.push({ index: offset + position, options });
  }
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
  private machineCandidates: { index: number; options: readonly string[] }[] | null = null;
  private displayCandidates: { index: number; options: readonly string[] }[] | null = null;
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

  transliterationCandidates(machine: boolean): { index: number; options: readonly string[] }[] {
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
