import { z } from "zod";
import { parseDayNumber } from "./calendar-date.ts";
import { LifecycleErrors } from "./lifecycle-errors.ts";
import { DEFAULT_TPS_DESIGNATIONS, TpsDesignationSchema } from "./tps-designation-table.ts";

/**
 * Everything in the lifecycle that DOMAIN.md marks [verify] or that is policy rather than
 * statute: one typed schema with defaults and descriptions, validated once, then frozen.
 * docs/lifecycle-semantics.md names each rule where it is used.
 */

const DEPARTURE_EVIDENCE = [
  "carrier_manifest",
  "land_exchange",
  "removal_executed",
  "vd_verified",
  "self_report",
] as const;

const isoDate = z.string().refine((text) => parseDayNumber(text) !== undefined, "must be a date YYYY-MM-DD");
const days = z.number().int().min(0);
const classList = z.array(z.string().min(1));

export const LifecycleRulesSchema = z.object({
  appealWindowDays: days
    .default(30)
    .describe(
      "Days after an IJ decision to file a BIA appeal (8 CFR 1003.38(b)); weekends and holidays roll over",
    ),
  extraClosedDates: z
    .array(isoDate)
    .default([])
    .describe(
      "Extra days the filing deadline rolls over besides weekends and 5 U.S.C. 6103 holidays (ad-hoc closures by executive order) [verify]",
    ),
  corroborationWindowDays: days
    .default(30)
    .describe(
      "A self-reported departure is corroborated by a verified departure dated within this many days of it",
    ),
  verifiedDepartureEvidence: z
    .array(z.enum(DEPARTURE_EVIDENCE))
    .default(["carrier_manifest", "land_exchange", "removal_executed", "vd_verified"])
    .describe(
      "Departure evidence that counts as verified (DOMAIN.md §1.8 tiers 1-3); the rest is claimed. Land exchange is documented for Canada only [verify]",
    ),
  thirdCountryDestinationBlocks: z
    .boolean()
    .default(true)
    .describe(
      "Whether removal to a country none of the records gives as a nationality blocks (D.V.D. v. DHS litigation) [verify]",
    ),
  pendingTpsIsPrimaFacie: z
    .boolean()
    .default(true)
    .describe(
      "Whether a pending I-821 counts as prima facie TPS eligibility and blocks removal (INA 244(a)(4))",
    ),
  tpsDesignations: z
    .array(TpsDesignationSchema)
    .default(() => DEFAULT_TPS_DESIGNATIONS.map((designation) => ({ ...designation })))
    .describe(
      "Country designations for TPS by Federal Register notice (DOMAIN.md §1.3: keep country-level dates): a TPS grant for a person of a designated nationality holds until the later of its valid_to and the end of the designation in force during it, and a termination ends it from its effective date. Given, it replaces the whole table. Shipped as publicly reported through September 2025 [verify]",
    ),
  policyDependentBlockersHold: z
    .array(z.enum(["DEFERRED_ACTION", "VICTIM_PROTECTION"]))
    .default(["DEFERRED_ACTION", "VICTIM_PROTECTION"])
    .describe(
      "Protections DOMAIN.md §1.9 calls policy-dependent that hold as blockers: current deferred action or DACA (forbearance from removal until it ends or is terminated) and a pending or granted T/U/VAWA/SIJ matter (2021: refrain; 2025: OPLA consult). One left out is reported as a policy consideration that the published priority policy weighs, and the case can be actionable [verify]",
    ),
  voluntaryDepartureDefaultDays: days
    .default(60)
    .describe(
      "VD period assumed when a VD decision records no deadline: the post-conclusion maximum (INA 240B(b)(2))",
    ),
  voluntaryDeparturePreConclusionDefaultDays: days
    .default(120)
    .describe(
      "VD period assumed when a pre-conclusion VD grant (appeal waived at the grant, as 8 CFR 1240.26(b)(1)(i)(D) requires) records no deadline: the pre-conclusion maximum (INA 240B(a)(2)(A)), so removal is not read as due while the period may still run",
    ),
  unlawfulPresenceEarliestDate: isoDate
    .default("1997-04-01")
    .describe("No unlawful presence accrues before this date (IIRIRA effective date; INA 212(a)(9)(B))"),
  extensionTollingCapDays: days
    .default(120)
    .describe(
      "A timely, non-frivolous extension or change of status tolls unlawful presence for at most this long (INA 212(a)(9)(B)(iv))",
    ),
  minorAgeYears: days
    .default(18)
    .describe("No unlawful presence accrues before this age (INA 212(a)(9)(B)(iii)(I))"),
  threeYearBarMinimumDays: days
    .default(181)
    .describe(
      "Unlawful presence of more than 180 days (and under one year) triggers the 3-year bar on departure",
    ),
  tenYearBarMinimumDays: days
    .default(365)
    .describe("Unlawful presence of one year or more triggers the 10-year bar on departure or removal"),
  placeholderBirthMonthDays: z
    .array(z.string().regex(/^\d{2}-\d{2}$/, "must be MM-DD"))
    .default(["01-01"])
    .describe(
      "Month-days of a date of birth treated as a placeholder for an unknown day (DOMAIN.md §2.2) [verify per source]",
    ),
  placeholderBirthDateTreatment: z
    .enum(["as_recorded", "end_of_year", "ignore"])
    .default("end_of_year")
    .describe(
      "How a placeholder date of birth is read for the under-18 tolling: as recorded, as the last day of that year (the reading that accrues least), or not at all",
    ),
  paroleClasses: classList
    .default(["PAROLE", "DT"])
    .describe("Classes of admission on an I-94 that record parole (INA 212(d)(5)) rather than admission"),
  classesWithoutExtension: classList
    .default(["WT", "WB"])
    .describe(
      "Classes that may not extend or change status (Visa Waiver Program, INA 217(a)): their I-539 filings are never timely",
    ),
  durationOfStatusGraceDays: z
    .record(z.string(), days)
    .default({ F1: 60, J1: 30 })
    .describe(
      "Grace period after the end of a D/S program, by class (8 CFR 214.2(f)(5)(iv), 214.2(j)(1)(iv)); applies to D/S admissions turned into fixed periods below",
    ),
  durationOfStatusFixedPeriodDays: z
    .record(z.string(), days)
    .default({})
    .describe(
      "Classes whose D/S admissions are read as fixed periods of this many days from admission (as the ICEB-2025-0001 proposal would); empty keeps D/S",
    ),
  confidentialAsylumCaseTypes: classList
    .default(["AOC", "WHO", "CFR", "RFR"])
    .describe(
      "EOIR case types that are themselves asylum, withholding or fear proceedings, confidential under 8 CFR 208.6",
    ),
  custodyCaseTypes: classList
    .default(["CDR"])
    .describe(
      "EOIR case types that decide custody only (CDR continued detention review, 8 CFR 241.14; add a feed's bond code): they never drive the primary state, so a later custody matter does not hide a removal case; their stays still count. Any other case type, known or not, can drive it [verify]",
    ),
});

/** The lifecycle rules, complete and validated (build with `createLifecycleRules`). */
export type LifecycleRules = Readonly<z.output<typeof LifecycleRulesSchema>>;

/** The overrides a caller may give: any subset of the rules. */
export type LifecycleRulesInput = z.input<typeof LifecycleRulesSchema>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validates overrides against the schema, fills defaults and freezes the result. */
export function createLifecycleRules(overrides: LifecycleRulesInput = {}): LifecycleRules {
  const parsed = LifecycleRulesSchema.safeParse(overrides);
  if (!parsed.success) {
    throw LifecycleErrors.invalidRules.create(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  return deepFreeze(parsed.data);
}

/** The rules as published: every default with its description (JSON Schema). */
export function describeLifecycleRules(): Record<string, unknown> {
  return z.toJSONSchema(LifecycleRulesSchema, { io: "input" }) as Record<string, unknown>;
}

export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = createLifecycleRules();
