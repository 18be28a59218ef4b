import fc from "fast-check";

/** Test support: random well-typed CEL conditions over the allowlisted case facts. */

const BOOL_VARIABLES = [
  "has_order",
  "order_final",
  "order_in_absentia",
  "vd_granted",
  "vd_failed_to_depart",
  "reentry_after_removal",
  "apprehended_at_border",
  "stay_ended",
  "victim_protection",
  "deferred_action",
  "departure_claimed",
  "national_security_concern",
];
const INT_VARIABLES = [
  "days_since_final_order",
  "conviction_count",
  "vacated_conviction_count",
  "days_in_country",
  "days_since_departure_claim",
];
const STRING_LISTS = [
  "pending_benefits",
  "current_protections",
  "ended_protections",
  "denied_benefits",
  "policy_blockers",
];

export interface ConditionOptions {
  /** Include `age_years` (only mitigating factors may read it). */
  readonly age?: boolean;
  /** Include `score` (only tier rules may read it). */
  readonly score?: boolean;
}

/** A random bool CEL condition; some divide by zero or index out of range, to exercise errors. */
export function arbitraryCondition(options: ConditionOptions = {}): fc.Arbitrary<string> {
  const intVariables = [...INT_VARIABLES, ...(options.age ? ["age_years"] : [])];
  const literal = fc.integer({ min: -5, max: 4000 }).map(String);
  const { condition } = fc.letrec<{ condition: string; integer: string }>((tie) => ({
    integer: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...intVariables),
      literal,
      fc.constantFrom(...STRING_LISTS).map((list) => `size(${list})`),
      fc
        .tuple(tie("integer"), fc.constantFrom("+", "-", "*"), tie("integer"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc
        .tuple(tie("integer"), fc.constantFrom("/", "%"), fc.integer({ min: 0, max: 3 }))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.integer({ min: 0, max: 2 }).map((index) => `[1, 2][${index}]`),
    ),
    condition: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...BOOL_VARIABLES, "true", "false"),
      fc
        .tuple(tie("integer"), fc.constantFrom("<", "<=", ">", ">=", "==", "!="), tie("integer"))
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      fc
        .tuple(
          fc.constantFrom("order_type", "entry_kind", "entry_date", "order_date", "order_final_date"),
          fc.constantFrom("==", "!=", ">", "<"),
          fc.constantFrom('"removal"', '"without_inspection"', '"2020-11-01"', '""'),
        )
        .map(([a, op, b]) => `${a} ${op} ${b}`),
      fc
        .tuple(
          fc.constantFrom('"TPS"', '"PAROLE"', '"U_STATUS"', '"DACA"', '"VICTIM_PROTECTION"'),
          fc.constantFrom(...STRING_LISTS),
        )
        .map(([value, list]) => `${value} in ${list}`),
      fc
        .tuple(
          fc.constantFrom("exists", "all", "exists_one"),
          fc.constantFrom("severity", "days_since", "sentence_days"),
          literal,
        )
        .map(([macro, field, value]) => `convictions.${macro}(c, c.${field} >= ${value})`),
      fc.constantFrom(
        'convictions.exists(c, c.aggravated_felony || c.offense_class == "violent")',
        "convictions.filter(c, c.laken_riley_offense).size() > 0",
        "convictions.map(c, c.sentence_days).exists(x, x / (x - x) > 0)",
        'encounters.exists(e, e.at_border && e.date > "2020-11-01")',
        "encounters.all(e, e.days_since > 365)",
        'convictions.exists(c, c.offense_level.startsWith("fel"))',
        "[1, 2, 3].map(x, x * 2)[1] == 4",
      ),
      ...(options.score
        ? [fc.tuple(fc.constantFrom("<", ">=", "=="), literal).map(([op, value]) => `score ${op} ${value}`)]
        : []),
      tie("condition").map((inner) => `!(${inner})`),
      fc
        .tuple(tie("condition"), fc.constantFrom("&&", "||"), tie("condition"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc
        .tuple(tie("condition"), tie("condition"), tie("condition"))
        .map(([a, b, c]) => `(${a} ? ${b} : ${c})`),
    ),
  }));
  return condition;
}
