import { offenseDefinition, type RecordCitation } from "@passage/core";
import {
  type CaseFacts,
  type ConvictionFacts,
  completedYears,
  dayNumber,
  type Evidenced,
} from "../case-facts.ts";
import { BOOL, type CelValueType, DOUBLE, INT, listOf, recordType, STRING } from "./cel-types.ts";

/** Where a variable's value comes from, and so which records a rule that reads it cites. */
export const FACT_GROUPS = [
  "as_of",
  "order",
  "voluntary_departure",
  "convictions",
  "vacated_convictions",
  "entry",
  "encounters",
  "age",
  "benefits",
  "stays",
  "policy_blockers",
  "departure_claim",
  "national_security",
  "score",
] as const;
export type FactGroup = (typeof FACT_GROUPS)[number];

/** A conviction as rules see it. */
export const CONVICTION_TYPE = recordType("Conviction", [
  { name: "offense_class", type: STRING, description: "class of the offense code (core OFFENSE_CLASSES)" },
  { name: "offense_level", type: STRING, description: "felony, misdemeanor or infraction" },
  {
    name: "severity",
    type: INT,
    description: "1 (least) to 5 (most serious), from the controlled code list",
  },
  { name: "aggravated_felony", type: BOOL, description: "INA 101(a)(43) aggravated felony per the record" },
  {
    name: "laken_riley_offense",
    type: BOOL,
    description: "an offense the Laken Riley Act names (INA 236(c))",
  },
  { name: "date", type: STRING, description: "disposition date, YYYY-MM-DD" },
  { name: "days_since", type: INT, description: "days from the disposition date to the as-of date" },
  { name: "sentence_days", type: INT, description: "sentence in days; 0 when none is recorded" },
]);

/** An encounter as rules see it (no place, no officer, no post). */
export const ENCOUNTER_TYPE = recordType("Encounter", [
  { name: "type", type: STRING, description: "border_apprehension, inadmissible_at_port or interior_arrest" },
  { name: "date", type: STRING, description: "encounter date, YYYY-MM-DD" },
  { name: "at_border", type: BOOL, description: "at the border or a port of entry" },
  { name: "days_since", type: INT, description: "days from the encounter to the as-of date" },
]);

/** One case fact a rule may read. */
export interface AllowedVariable {
  readonly name: string;
  readonly type: CelValueType;
  readonly group: FactGroup;
  readonly description: string;
  /** Age: readable only by mitigating factors (ARCHITECTURE.md, Safety by construction). */
  readonly mitigationOnly?: boolean;
  /** `score`: readable only by tier rules, after every weight is summed. */
  readonly tierRulesOnly?: boolean;
}

const variable = (
  name: string,
  type: CelValueType,
  group: FactGroup,
  description: string,
  flags: Pick<AllowedVariable, "mitigationOnly" | "tierRulesOnly"> = {},
): AllowedVariable => ({ name, type, group, description, ...flags });

/**
 * The closed allowlist, in frame-slot order. A rule can read these names and nothing else: the
 * CEL environment declares no other variable, so a name, sex, nationality, country of birth,
 * passport country, port, post or appearance attribute does not exist to a rule.
 */
export const ALLOWED_VARIABLES: readonly AllowedVariable[] = [
  variable("as_of", STRING, "as_of", "the date the facts describe, YYYY-MM-DD"),
  variable("has_order", BOOL, "order", "a removal order exists"),
  variable(
    "order_type",
    STRING,
    "order",
    "removal, voluntary_departure_alternate, expedited_removal, ...; '' if none",
  ),
  variable("order_date", STRING, "order", "order date, YYYY-MM-DD; '' if none"),
  variable("order_final", BOOL, "order", "the order is administratively final (8 CFR 1241.1)"),
  variable("order_final_date", STRING, "order", "date it became final; '' if not final"),
  variable("days_since_final_order", INT, "order", "days since the order became final; -1 if not final"),
  variable("order_in_absentia", BOOL, "order", "the order was entered in absentia"),
  variable("vd_granted", BOOL, "voluntary_departure", "voluntary departure was granted"),
  variable(
    "vd_failed_to_depart",
    BOOL,
    "voluntary_departure",
    "the VD deadline passed with no verified departure",
  ),
  variable(
    "convictions",
    listOf(CONVICTION_TYPE),
    "convictions",
    "standing convictions (not vacated/expunged)",
  ),
  variable("conviction_count", INT, "convictions", "number of standing convictions"),
  variable("vacated_conviction_count", INT, "vacated_convictions", "convictions vacated or expunged"),
  variable("entry_kind", STRING, "entry", "admitted, paroled or without_inspection; '' if unknown"),
  variable("entry_date", STRING, "entry", "date of the entry that began the current stay; '' if unknown"),
  variable("days_in_country", INT, "entry", "days since that entry; -1 if unknown"),
  variable("reentry_after_removal", BOOL, "entry", "re-entered after an executed removal"),
  variable("encounters", listOf(ENCOUNTER_TYPE), "encounters", "enforcement encounters"),
  variable("apprehended_at_border", BOOL, "encounters", "any encounter at the border or a port of entry"),
  variable("age_years", INT, "age", "completed years of age; -1 if unknown; mitigation only", {
    mitigationOnly: true,
  }),
  variable("pending_benefits", listOf(STRING), "benefits", "types of pending applications (BENEFIT_TYPES)"),
  variable("current_protections", listOf(STRING), "benefits", "current grants (PROTECTED_STATUS_TYPES)"),
  variable("ended_protections", listOf(STRING), "benefits", "grants or parole ended, expired or revoked"),
  variable("denied_benefits", listOf(STRING), "benefits", "applications denied"),
  variable("stay_ended", BOOL, "stays", "a stay of removal was granted and has ended"),
  variable("policy_blockers", listOf(STRING), "policy_blockers", "policy-dependent blockers of the status"),
  variable("victim_protection", BOOL, "policy_blockers", "pending or granted T/U/VAWA/SIJ (8 U.S.C. 1367)"),
  variable("deferred_action", BOOL, "policy_blockers", "current deferred action or DACA"),
  variable(
    "departure_claimed",
    BOOL,
    "departure_claim",
    "a self-reported departure no government record corroborates (DEPARTED claimed)",
  ),
  variable(
    "days_since_departure_claim",
    INT,
    "departure_claim",
    "days from that claimed departure to the as-of date; -1 if none",
  ),
  variable("national_security_concern", BOOL, "national_security", "adjudicated finding with attestation"),
  variable("score", DOUBLE, "score", "sum of the weights of aggravating and mitigating factors that fired", {
    tierRulesOnly: true,
  }),
];

export const ALLOWED_VARIABLE_BY_NAME: ReadonlyMap<string, AllowedVariable> = new Map(
  ALLOWED_VARIABLES.map((entry) => [entry.name, entry]),
);

/** The frame slot of `score`, written after the weights are summed. */
export const SCORE_SLOT = ALLOWED_VARIABLES.findIndex((entry) => entry.name === "score");

/**
 * Attributes no rule may ever read, with the reason given at load time. Anything else that is
 * not on the allowlist gets the generic "not on the allowlist" message.
 */
export const FORBIDDEN_ATTRIBUTES: ReadonlySet<string> = new Set([
  "name",
  "family_name",
  "given_names",
  "sex",
  "gender",
  "nationality",
  "citizenship",
  "country",
  "country_of_birth",
  "country_of_citizenship",
  "passport",
  "passport_country",
  "passport_number",
  "port",
  "port_of_entry",
  "issuing_post",
  "post",
  "race",
  "ethnicity",
  "religion",
  "appearance",
  "height",
  "weight",
  "language",
  "address",
  "date_of_birth",
  "a_number",
  "facility_code",
  "destination_country",
]);

/** The message for a name a rule used that is not an allowed case fact. */
export function describeUndeclaredName(name: string): string {
  if (FORBIDDEN_ATTRIBUTES.has(name)) {
    return "rules may never read this attribute (ARCHITECTURE.md, Safety by construction)";
  }
  return `not on the allowlist of case facts (allowed: ${ALLOWED_VARIABLES.map((entry) => entry.name).join(", ")})`;
}

/**
 * Fills the frame slots of the allowed variables from one case's facts. Runs once per case;
 * every rule of the policy then reads the same frame. Returns the number of slots written
 * (a test checks it equals the allowlist's length, so the order cannot drift).
 */
export function bindCaseFacts(facts: CaseFacts, frame: unknown[], groups?: ReadonlySet<FactGroup>): number {
  // Lists and derived values a policy never reads are left empty: binding is most of the cost.
  // (No `wants` closure: under tsx each named closure costs a defineProperty per call.) An
  // empty list is the one shared frozen EMPTY: rules only read lists, never change them.
  const asOf = facts.asOf;
  const order = facts.order;
  // The as-of day once: every "days since" below is measured to it.
  const asOfDay = dayNumber(asOf);
  const entryDate = facts.entry?.date ?? null;
  let slot = 0;
  frame[slot++] = asOf;
  frame[slot++] = order !== null;
  frame[slot++] = order?.type ?? "";
  frame[slot++] = order?.date ?? "";
  frame[slot++] = order?.final ?? false;
  frame[slot++] = order?.final && order.finalDate ? order.finalDate : "";
  frame[slot++] = order?.final && order.finalDate ? asOfDay - dayNumber(order.finalDate) : -1;
  frame[slot++] = order?.inAbsentia ?? false;
  frame[slot++] = facts.voluntaryDeparture !== null;
  frame[slot++] = facts.voluntaryDeparture?.failedToDepart ?? false;
  slot = bindConvictions(facts, frame, slot, asOfDay, groups);
  frame[slot++] = facts.entry?.kind ?? "";
  frame[slot++] = entryDate ?? "";
  frame[slot++] = entryDate === null ? -1 : asOfDay - dayNumber(entryDate);
  frame[slot++] = facts.entry?.reentryAfterRemoval ?? false;
  slot = bindEncounters(facts, frame, slot, asOfDay, groups);
  frame[slot++] =
    facts.dateOfBirth === null || !wants(groups, "age") ? -1 : completedYears(facts.dateOfBirth.date, asOf);
  slot = bindBenefits(facts, frame, slot);
  frame[slot++] = facts.stays.length > 0;
  slot = bindPolicyBlockers(facts, frame, slot);
  const claim = facts.claimedDeparture ?? null;
  frame[slot++] = claim !== null;
  frame[slot++] = claim === null ? -1 : asOfDay - dayNumber(claim.date);
  frame[slot++] = facts.nationalSecurityConcern !== null;
  frame[slot++] = 0; // score, written by the policy evaluator once the weights are summed
  return slot;
}

/**
 * Rewrites only the frame slots of one list group (the variables read from it) from `facts`, as
 * bindCaseFacts would write them: the evaluator re-evaluates a fired rule with one list narrowed
 * to tell which of its records the rule needs, and rebinding the whole case each time would cost
 * the whole case each time.
 */
export function bindListGroup(
  facts: CaseFacts,
  frame: unknown[],
  group: FactGroup,
  groups?: ReadonlySet<FactGroup>,
): void {
  switch (group) {
    case "convictions":
    case "vacated_convictions":
      bindConvictions(facts, frame, CONVICTIONS_SLOT, dayNumber(facts.asOf), groups);
      return;
    case "encounters":
      bindEncounters(facts, frame, ENCOUNTERS_SLOT, dayNumber(facts.asOf), groups);
      return;
    case "benefits":
      bindBenefits(facts, frame, BENEFITS_SLOT);
      return;
    case "stays":
      frame[STAYS_SLOT] = facts.stays.length > 0;
      return;
    case "policy_blockers":
      bindPolicyBlockers(facts, frame, POLICY_BLOCKERS_SLOT);
      return;
    default:
      throw new Error(`${group} is not a list group`);
  }
}

const slotOf = (name: string): number => ALLOWED_VARIABLES.findIndex((entry) => entry.name === name);
const CONVICTIONS_SLOT = slotOf("convictions");
const ENCOUNTERS_SLOT = slotOf("encounters");
const BENEFITS_SLOT = slotOf("pending_benefits");
const STAYS_SLOT = slotOf("stay_ended");
const POLICY_BLOCKERS_SLOT = slotOf("policy_blockers");

/** `convictions`, `conviction_count` and `vacated_conviction_count` from `slot`; the next slot. */
function bindConvictions(
  facts: CaseFacts,
  frame: unknown[],
  at: number,
  asOfDay: number,
  groups: ReadonlySet<FactGroup> | undefined,
): number {
  let slot = at;
  const standing =
    facts.convictions.length === 0
      ? facts.convictions
      : facts.convictions.filter((conviction) => conviction.disposition === "convicted");
  frame[slot++] =
    !wants(groups, "convictions") || standing.length === 0
      ? EMPTY
      : standing.map((conviction) => {
          const definition = offenseDefinition(conviction.offenseCode);
          return [
            definition.offenseClass,
            conviction.offenseLevel,
            definition.severity,
            conviction.aggravatedFelony,
            definition.lakenRileyOffense,
            conviction.date,
            asOfDay - dayNumber(conviction.date),
            conviction.sentenceDays ?? 0,
          ];
        });
  frame[slot++] = standing.length;
  frame[slot++] = facts.convictions.length - standing.length;
  return slot;
}

/** `encounters` and `apprehended_at_border` from `slot`; the next slot. */
function bindEncounters(
  facts: CaseFacts,
  frame: unknown[],
  at: number,
  asOfDay: number,
  groups: ReadonlySet<FactGroup> | undefined,
): number {
  let slot = at;
  let atBorder = false;
  const wantsEncounters = wants(groups, "encounters");
  frame[slot++] =
    facts.encounters.length === 0
      ? EMPTY
      : facts.encounters.map((encounter) => {
          const border = encounter.type !== "interior_arrest";
          atBorder ||= border;
          return wantsEncounters
            ? [encounter.type, encounter.date, border, asOfDay - dayNumber(encounter.date)]
            : EMPTY;
        });
  frame[slot++] = atBorder;
  return slot;
}

/** `pending_benefits`, `current_protections`, `ended_protections`, `denied_benefits` from `slot`. */
function bindBenefits(facts: CaseFacts, frame: unknown[], at: number): number {
  let slot = at;
  if (facts.benefits.length === 0) {
    for (let list = 0; list < 4; list++) frame[slot++] = NO_STRINGS;
    return slot;
  }
  const pending: string[] = [];
  const granted: string[] = [];
  const ended: string[] = [];
  const denied: string[] = [];
  for (const benefit of facts.benefits) {
    if (benefit.status === "pending") pending.push(benefit.type);
    else if (benefit.status === "granted") granted.push(benefit.type);
    else if (benefit.status === "ended") ended.push(benefit.type);
    else denied.push(benefit.type);
  }
  frame[slot++] = pending;
  frame[slot++] = granted;
  frame[slot++] = ended;
  frame[slot++] = denied;
  return slot;
}

/** `policy_blockers`, `victim_protection` and `deferred_action` from `slot`; the next slot. */
function bindPolicyBlockers(facts: CaseFacts, frame: unknown[], at: number): number {
  let slot = at;
  const blockerCodes: readonly string[] =
    facts.policyBlockers.length === 0 ? NO_STRINGS : facts.policyBlockers.map((blocker) => blocker.code);
  frame[slot++] = blockerCodes;
  frame[slot++] = blockerCodes.includes("VICTIM_PROTECTION");
  frame[slot++] = blockerCodes.includes("DEFERRED_ACTION");
  return slot;
}

function wants(groups: ReadonlySet<FactGroup> | undefined, group: FactGroup): boolean {
  return groups === undefined || groups.has(group);
}

/** The empty list bound for every absent list (frozen: rules read lists, never change them). */
const EMPTY: readonly unknown[] = Object.freeze([]);
const NO_STRINGS: readonly string[] = EMPTY as readonly string[];

const NO_CITATIONS: readonly RecordCitation[] = Object.freeze([]);

/**
 * The records behind a group of facts: what a rule reading that group cites. Read-only: a
 * fact's own evidence list is returned as it is when it is the only one.
 */
export function evidenceOfGroup(facts: CaseFacts, group: FactGroup): readonly RecordCitation[] {
  switch (group) {
    case "as_of":
    case "score":
      return NO_CITATIONS;
    case "order":
      return facts.order?.evidence ?? NO_CITATIONS;
    case "voluntary_departure":
      return facts.voluntaryDeparture?.evidence ?? NO_CITATIONS;
    case "convictions":
      return convictionEvidence(facts.convictions, true);
    case "vacated_convictions":
      return convictionEvidence(facts.convictions, false);
    case "entry":
      return facts.entry?.evidence ?? NO_CITATIONS;
    case "encounters":
      return evidenceOfAll(facts.encounters);
    case "age":
      return facts.dateOfBirth?.evidence ?? NO_CITATIONS;
    case "benefits":
      return evidenceOfAll(facts.benefits);
    case "stays":
      return evidenceOfAll(facts.stays);
    case "policy_blockers":
      return evidenceOfAll(facts.policyBlockers);
    case "departure_claim":
      return facts.claimedDeparture?.evidence ?? NO_CITATIONS;
    case "national_security":
      return facts.nationalSecurityConcern?.evidence ?? NO_CITATIONS;
  }
}

/** The evidence of every item, in order (no copy when there is a single item). */
function evidenceOfAll(items: readonly Evidenced[]): readonly RecordCitation[] {
  if (items.length === 0) return NO_CITATIONS;
  if (items.length === 1) return items[0]!.evidence;
  return items.flatMap((item) => item.evidence);
}

/** The evidence of the standing (convicted) or of the vacated and expunged convictions, in order. */
function convictionEvidence(
  convictions: readonly ConvictionFacts[],
  standing: boolean,
): readonly RecordCitation[] {
  let citations: RecordCitation[] | undefined;
  for (const conviction of convictions) {
    if ((conviction.disposition === "convicted") !== standing) continue;
    citations ??= [];
    for (const citation of conviction.evidence) citations.push(citation);
  }
  return citations ?? NO_CITATIONS;
}
