import type { AuditedAccess } from "@passage/access";
import type { CaseExplanation } from "@passage/policy";
import type { ListedWorklistEntry, WorklistOverrideRow } from "@passage/store";
import { confidentialReaderFor } from "../lifecycle/confidential-reader.ts";

/** A part with its `asOf` (the day it was evaluated) null where withheld. */
type DayWithheld<T> = Omit<T, "asOf"> & { readonly asOf: string | null };

/**
 * An explanation as a reader sees it: `inputs` (the raw facts) is null when withheld, and so is
 * the day it was evaluated (`asOf`, and the gates' and evaluation's): a flagged record arriving
 * on a later day moves it.
 */
export type ShownExplanation = Omit<CaseExplanation, "inputs" | "asOf" | "gates" | "evaluation"> & {
  readonly inputs: CaseExplanation["inputs"] | null;
  readonly asOf: string | null;
  readonly gates: DayWithheld<CaseExplanation["gates"]>;
  readonly evaluation: DayWithheld<NonNullable<CaseExplanation["evaluation"]>> | null;
};

/** The explanation without the day it was evaluated (its own, its gates', its evaluation's). */
function withoutEvaluationDay(explanation: CaseExplanation): ShownExplanation {
  return {
    ...explanation,
    asOf: null,
    gates: { ...explanation.gates, asOf: null },
    evaluation: explanation.evaluation === null ? null : { ...explanation.evaluation, asOf: null },
  };
}

/** An override as a reader sees it: `reason` is null when withheld. */
export type ShownOverride = Omit<WorklistOverrideRow, "reason"> & { readonly reason: string | null };

/** How one reader may see the worklist's explanations and overrides of some persons. */
export interface WorklistRedaction {
  /** Whether the reader sees the person's explanations whole (`ConfidentialReader.hasNeed`: never by the person's flags). */
  hasNeed(personId: string): boolean;
  explanation(personId: string, explanation: CaseExplanation): ShownExplanation;
  override(override: WorklistOverrideRow): ShownOverride;
}

/**
 * How the actor may see the worklist explanations and overrides of these persons. An explanation
 * cites the records a case rests on and carries its raw facts, so a reader without the need to
 * know asylum or 1367 matters (`confidentialReaderFor`'s `hasNeed`, as the status read decides
 * it) gets it as the status read gives the status: `withoutConfidentialMatters`, its `inputs` null
 * on every case. An override's reason is a supervisor's free text, which may name those matters
 * and cannot be redacted word by word: it is withheld whole (null) from such a reader on every
 * case, with a flagged record or not, as withholding it only where a case has one would name the
 * case; the tiers, who and when stay. Decided for the whole page by `confidentialReaderFor` (the
 * policies' SQL filter, then the flagged records of the persons whose matters the reader may not see).
 */
export async function worklistRedactionFor(
  access: AuditedAccess,
  db: Parameters<typeof confidentialReaderFor>[1],
  personIds: readonly string[],
): Promise<WorklistRedaction> {
  const reader = await confidentialReaderFor(access, db, personIds);
  return {
    hasNeed: (personId) => reader.hasNeed(personId),
    explanation: (personId, explanation) =>
      reader.hasNeed(personId) ? explanation : withoutEvaluationDay(reader.shown(personId, explanation)),
    override: (override) => (reader.hasNeed(override.personId) ? override : { ...override, reason: null }),
  };
}

/**
 * A worklist entry as a reader sees it: its explanation and override through the reader's
 * redaction. `evaluatedAt` and `asOf` are null for a reader without the need, on every case alike:
 * the entry is evaluated again (its `evaluatedAt` moved, and its `asOf` on a later day) whenever
 * any record of the person arrives, a flagged one too, so shown to such a reader they would tell
 * that a record they cannot see arrived.
 */
export type ShownWorklistEntry = Omit<
  ListedWorklistEntry,
  "explanation" | "override" | "evaluatedAt" | "asOf"
> & {
  readonly evaluatedAt: string | null;
  readonly asOf: string | null;
  readonly explanation: ShownExplanation;
  readonly override: ShownOverride | null;
};

export function shownEntry(entry: ListedWorklistEntry, redaction: WorklistRedaction): ShownWorklistEntry {
  return {
    ...entry,
    evaluatedAt: redaction.hasNeed(entry.personId) ? entry.evaluatedAt : null,
    asOf: redaction.hasNeed(entry.personId) ? entry.asOf : null,
    explanation: redaction.explanation(entry.personId, entry.explanation as CaseExplanation),
    override: entry.override === null ? null : redaction.override(entry.override),
  };
}
