import { type DayNumber, parseDayNumber } from "./calendar-date.ts";
import { createLifecycleRules, type LifecycleRules } from "./lifecycle-rules.ts";

/** The rules in the form the derivation uses: sets and day numbers, computed once per rules object. */
export interface CompiledLifecycleRules {
  readonly rules: LifecycleRules;
  readonly extraClosedDays: ReadonlySet<DayNumber>;
  readonly verifiedEvidence: ReadonlySet<string>;
  readonly unlawfulPresenceEarliestDay: DayNumber;
  readonly placeholderBirthMonthDays: ReadonlySet<string>;
  readonly paroleClasses: ReadonlySet<string>;
  readonly classesWithoutExtension: ReadonlySet<string>;
  readonly confidentialAsylumCaseTypes: ReadonlySet<string>;
  readonly policyDependentBlockersHold: ReadonlySet<string>;
}

const compiled = new WeakMap<LifecycleRules, CompiledLifecycleRules>();

/** Validates (once per rules object, so hand-built rules are checked too) and compiles the rules. */
export function compileLifecycleRules(given: LifecycleRules): CompiledLifecycleRules {
  let result = compiled.get(given);
  if (result === undefined) {
    const rules = createLifecycleRules(given);
    const upperSet = (values: readonly string[]) => new Set(values.map((value) => value.toUpperCase()));
    result = {
      rules,
      extraClosedDays: new Set(rules.extraClosedDates.map((date) => parseDayNumber(date)!)),
      verifiedEvidence: new Set(rules.verifiedDepartureEvidence),
      unlawfulPresenceEarliestDay: parseDayNumber(rules.unlawfulPresenceEarliestDate)!,
      placeholderBirthMonthDays: new Set(rules.placeholderBirthMonthDays),
      paroleClasses: upperSet(rules.paroleClasses),
      classesWithoutExtension: upperSet(rules.classesWithoutExtension),
      confidentialAsylumCaseTypes: upperSet(rules.confidentialAsylumCaseTypes),
      policyDependentBlockersHold: new Set(rules.policyDependentBlockersHold),
    };
    compiled.set(given, result);
  }
  return result;
}
