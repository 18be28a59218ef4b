import type { RecordCitation } from "@passage/core";

/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

/** The source records a fact rests on. */
export interface Evidenced {
  readonly evidence: readonly RecordCitation[];
}

/** Kinds of removal order (court orders and DHS-only orders, DOMAIN.md §1.4). */
export const ORDER_TYPES = [
  "removal",
  "voluntary_departure_alternate",
  "expedited_removal",
  "reinstatement",
  "administrative_removal",
  "stipulated_removal",
] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

/** The removal order the case rests on: type, date and finality (8 CFR 1241.1). */
export interface OrderFacts extends Evidenced {
  readonly type: OrderType;
  readonly date: IsoDate;
  readonly final: boolean;
  /** The day the order became final, when it is. */
  readonly finalDate: IsoDate | null;
  readonly inAbsentia: boolean;
}

/** Voluntary departure granted with an alternate order (INA 240B). */
export interface VoluntaryDepartureFacts extends Evidenced {
  readonly deadline: IsoDate | null;
  /** True when the deadline passed with no verified departure: the alternate order took effect. */
  readonly failedToDepart: boolean;
}

export const CONVICTION_DISPOSITIONS = ["convicted", "vacated", "expunged"] as const;
export type ConvictionDisposition = (typeof CONVICTION_DISPOSITIONS)[number];

/**
 * One conviction. Rules read its offense class (from the controlled code list in core), level,
 * date and sentence — never the jurisdiction or anything else on the record. Acquittals and
 * dismissals are not facts at all: an arrest or a charge alone is never a basis (DOMAIN.md §4).
 */
export interface ConvictionFacts extends Evidenced {
  readonly offenseCode: string;
  readonly offenseLevel: "felony" | "misdemeanor" | "infraction";
  readonly aggravatedFelony: boolean;
  readonly disposition: ConvictionDisposition;
  readonly date: IsoDate;
  readonly sentenceDays: number | null;
}

/** How the current stay began (DOMAIN.md §1.1): admitted, paroled or without inspection. */
export const ENTRY_KINDS = ["admitted", "paroled", "without_inspection"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The entry that began the current stay. */
export interface EntryFacts extends Evidenced {
  readonly kind: EntryKind;
  /** The entry date; null when only an undated unlawful entry is known. */
  readonly date: IsoDate | null;
  /** The person re-entered after an executed removal (INA 241(a)(5)). */
  readonly reentryAfterRemoval: boolean;
}

export const ENCOUNTER_TYPES = ["border_apprehension", "inadmissible_at_port", "interior_arrest"] as const;
export type EncounterType = (typeof ENCOUNTER_TYPES)[number];

export interface EncounterFacts extends Evidenced {
  readonly type: EncounterType;
  readonly date: IsoDate;
}

export const BENEFIT_FACT_STATUSES = ["pending", "granted", "denied", "ended"] as const;
export type BenefitFactStatus = (typeof BENEFIT_FACT_STATUSES)[number];

/**
 * A benefit, protection or parole and where it stands. `type` is a word of the lifecycle
 * vocabulary (BENEFIT_TYPES or PROTECTED_STATUS_TYPES) or `PAROLE`.
 */
export interface BenefitFacts extends Evidenced {
  readonly type: string;
  readonly status: BenefitFactStatus;
}

/** A stay of removal that was granted and has ended (a stay in effect is a gate, never a fact). */
export interface StayFacts extends Evidenced {
  readonly status: "ended";
}

/** A policy-dependent blocker of the status (binding `policy`, e.g. VICTIM_PROTECTION). */
export interface PolicyBlockerFacts extends Evidenced {
  readonly code: string;
}

/**
 * The closed allowlist of case facts that priority rules may read (ARCHITECTURE.md, "Safety by
 * construction"): order type, date and finality; convictions' offense class, date and sentence;
 * entry and encounter facts; time in the country; age (for mitigation only); benefit, stay,
 * voluntary-departure and claimed-departure facts. There is deliberately no field for a name, sex, nationality,
 * country of birth, passport, port, post or any appearance attribute: what is not here cannot
 * be read by a rule. Every fact carries the source records it rests on.
 */
export interface CaseFacts {
  readonly personId: string;
  /** The date the facts describe (valid time). */
  readonly asOf: IsoDate;
  readonly order: OrderFacts | null;
  readonly voluntaryDeparture: VoluntaryDepartureFacts | null;
  readonly convictions: readonly ConvictionFacts[];
  readonly entry: EntryFacts | null;
  readonly encounters: readonly EncounterFacts[];
  /** Read only to compute age, which rules may use only as a mitigating factor. */
  readonly dateOfBirth: (Evidenced & { readonly date: IsoDate }) | null;
  readonly benefits: readonly BenefitFacts[];
  readonly stays: readonly StayFacts[];
  readonly policyBlockers: readonly PolicyBlockerFacts[];
  /**
   * A self-reported departure (CBP Home) no government record corroborates: the status is
   * DEPARTED(claimed) while the order stays executable (DOMAIN.md §1.8). A reason a policy may
   * weigh (the 2025 posture deprioritizes it), never a gate; null (or absent) when there is none.
   */
  readonly claimedDeparture?: (Evidenced & { readonly date: IsoDate }) | null;
  /**
   * An adjudicated national-security finding with supervisor attestation (DOMAIN.md §4,
   * `ns_terrorism_espionage`). No feed supplies it yet; the engine passes null.
   */
  readonly nationalSecurityConcern: Evidenced | null;
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** True for a well-formed `YYYY-MM-DD` calendar date. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string" || !ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, by the civil-calendar formula (H. Hinnant's
 * days_from_civil): the evaluator computes several per case, and Date.parse is far slower.
 */
export function dayNumber(date: IsoDate): number {
  let year = digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3);
  const month = digitAt(date, 5) * 10 + digitAt(date, 6);
  const day = digitAt(date, 8) * 10 + digitAt(date, 9);
  year -= month <= 2 ? 1 : 0;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

// Module-level helpers rather than closures inside the hot functions: under tsx (esbuild's
// keepNames) every named closure costs an Object.defineProperty of its name on each call.
function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** Completed years of age on `asOf` for a birth date (calendar arithmetic, not 365-day years). */
export function completedYears(birthDate: IsoDate, asOf: IsoDate): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** `NNNN-NN-NN` by character codes: run on every date of every case, where a regex costs more. */
function hasDateShape(value: unknown): boolean {
  if (typeof value !== "string" || value.length !== 10) return false;
  for (let index = 0; index < 10; index++) {
    const code = value.charCodeAt(index);
    if (index === 4 || index === 7 ? code !== 45 : code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * Checks the shape rules depend on: the lists are present and every date is `YYYY-MM-DD`.
 * Cheap enough to run on every case (a malformed date would silently compare wrong).
 */
export function assertCaseFactsOrThrow(facts: CaseFacts, fail: (what: string) => never): void {
  if (typeof facts.personId !== "string" || facts.personId === "") fail("personId is missing");
  checkDate(facts.asOf, "asOf", fail);
  // Each list by name rather than in a loop over the names: a keyed load per name is slower.
  if (!Array.isArray(facts.convictions)) failList("convictions", fail);
  if (!Array.isArray(facts.encounters)) failList("encounters", fail);
  if (!Array.isArray(facts.benefits)) failList("benefits", fail);
  if (!Array.isArray(facts.stays)) failList("stays", fail);
  if (!Array.isArray(facts.policyBlockers)) failList("policyBlockers", fail);
  if (facts.order) {
    checkDate(facts.order.date, "order.date", fail);
    if (facts.order.finalDate !== null) checkDate(facts.order.finalDate, "order.finalDate", fail);
  }
  for (const conviction of facts.convictions) checkDate(conviction.date, "a conviction date", fail);
  for (const encounter of facts.encounters) checkDate(encounter.date, "an encounter date", fail);
  if (facts.entry?.date) checkDate(facts.entry.date, "entry.date", fail);
  if (facts.dateOfBirth) checkDate(facts.dateOfBirth.date, "dateOfBirth.date", fail);
  if (facts.claimedDeparture) checkDate(facts.claimedDeparture.date, "claimedDeparture.date", fail);
}

function failList(list: string, fail: (what: string) => never): never {
  return fail(`${list} must be a list (empty when none)`);
}

function checkDate(value: unknown, what: string, fail: (what: string) => never): void {
  if (!hasDateShape(value)) fail(`${what} is not a YYYY-MM-DD date`);
}
