import { BLOCKERS } from "@passage/core";

const CONFIDENTIAL_OVERLAYS = new Set(["CONFIDENTIAL_ASYLUM", "CONFIDENTIAL_1367"]);

type Citation = { feed: string; recordKey: string };

/**
 * What a reader without the need is told in place of a state's detail or a ranking rule that
 * rests on a confidential record: that something confidential is there, never what it is.
 */
export const WITHHELD_MATTER = {
  description:
    "Rests on a confidential matter (8 CFR 208.6, 8 U.S.C. 1367): shown only to readers with the need to know; consult counsel before acting",
  basis: "8 CFR 208.6; 8 U.S.C. 1367",
} as const;

/**
 * The binding every withheld blocker and policy consideration is shown with, whatever it rests on:
 * a withheld marker keeping its own (`law` for ASYLEE, `policy` only for VICTIM_PROTECTION) would
 * name the matter. What the binding decides (actionable, an executable final order) is decided
 * before the redaction, on the whole status, and shown as it is.
 */
export const WITHHELD_BINDING = "withheld";

/**
 * The id a withheld blocker, policy consideration, gate or ranking rule is shown under:
 * `withheld-1`, `withheld-2`, ... (blockers, then policy considerations, then rules in firing
 * order; a gate named after a withheld blocker takes the blocker's).
 */
export const WITHHELD_RULE_PREFIX = "withheld-";

/** The key a flagged record is named by in the sets the redaction takes: `feed:recordKey`. */
export function flaggedRecordKey(citation: Citation): string {
  return `${citation.feed}:${citation.recordKey}`;
}

/**
 * A status document, the status parts of a person view, or a worklist explanation, for a reader
 * without the need to know asylum or 1367 matters (8 CFR 208.6, 8 U.S.C. 1367). Whatever the
 * person's records, and so the same for a person with a flagged record as for one without: the
 * raw facts (a status's `facts`, an explanation's `inputs`) and the next change date go (null).
 * By the flagged records given (those of the person the reader may not see): the
 * confidentiality overlays resting on one go, every timeline entry resting on one goes, and every
 * citation of one goes from every evidence list. A state or a ranking rule that rests on a flagged record
 * would name the matter itself (an asylum application pending, a U visa holder consulted on), and
 * so would a blocker or policy consideration resting on one (ASYLEE, VICTIM_PROTECTION: their
 * codes, descriptions, details and bindings say what the matter is): the state keeps its primary
 * state without its detail; the blocker or consideration is shown under a `withheld-N` code with
 * the one WITHHELD_BINDING, a
 * gate named after it the same id, and any other gate resting on a flagged record its own
 * `withheld-N` id unless it names no matter (GATES_NAMING_NO_MATTER); the rule its effect and contribution under a `withheld-N` id;
 * all with WITHHELD_MATTER's words. The dates resting on a flagged record go with it: a state
 * resting on one loses `since` and `until`, an overlay its own. What protects the person — the state, the blockers, the gates
 * holding, the rules' effect on the tier — stays, so the protection shows without saying what it
 * is about. The one redaction of the status read, the person view and the worklist.
 */
export function withoutConfidentialMatters<T extends object>(
  document: T,
  flaggedRecords: ReadonlySet<string>,
): T {
  const flagged = (citation: Citation) => flaggedRecords.has(flaggedRecordKey(citation));
  const copy = { ...document } as Record<string, unknown>;
  if (Array.isArray(copy.overlays)) {
    // A confidentiality overlay names its matter: it goes with the flagged record it rests on
    // (and, citing none, whatever it rests on).
    copy.overlays = (copy.overlays as { overlay: string; evidence?: Citation[] }[]).filter(
      (overlay) =>
        !CONFIDENTIAL_OVERLAYS.has(overlay.overlay) ||
        (Array.isArray(overlay.evidence) && overlay.evidence.length > 0 && !overlay.evidence.some(flagged)),
    );
  }
  if (Array.isArray(copy.timeline)) {
    copy.timeline = (copy.timeline as { evidence: Citation[] }[]).filter(
      (entry) => !entry.evidence.some(flagged),
    );
  }
  // Withheld whatever the person's records: the raw facts rest on every record of the case, and
  // the next day the status may change can be a flagged record's date (a grant's end, a
  // confidential overlay's), so neither can be trimmed to what is not confidential. Withheld only
  // on a case with a flagged record, their absence would name the case as one.
  for (const key of ["facts", "inputs", "next_change_on", "nextChangeOn"]) {
    if (key in copy) copy[key] = null;
  }
  // Nothing to cite: the walk below would only copy the document.
  if (flaggedRecords.size === 0) return copy as T;
  if (restsOnFlagged(copy.state, flagged)) {
    // The state's dates are the matter's own (the asylum grant, the I-360 filing): that a
    // protection holds shows, not since when or until when.
    copy.state = {
      ...(copy.state as object),
      detail: null,
      since: null,
      until: null,
      description: WITHHELD_MATTER.description,
    };
  }
  if (Array.isArray(copy.overlays)) {
    copy.overlays = (copy.overlays as object[]).map((overlay) =>
      restsOnFlagged(overlay, flagged) ? { ...overlay, since: null, until: null } : overlay,
    );
  }
  withWithheldParts(copy, flagged);
  return withoutFlaggedCitations(copy, flagged) as T;
}

/**
 * The copy's blockers, policy considerations, gates and rules with those resting on a flagged
 * record withheld (in this order, so numbered): the ids given, by original name.
 */
function withWithheldParts(
  copy: Record<string, unknown>,
  flagged: (citation: Citation) => boolean,
): Map<string, string> {
  const withheld = new Map<string, string>();
  for (const key of ["blockers", "policy_considerations", "policyConsiderations"]) {
    if (Array.isArray(copy[key])) copy[key] = withWithheldBlockers(copy[key] as Blocker[], flagged, withheld);
  }
  if (copy.gates !== null && typeof copy.gates === "object") {
    copy.gates = withWithheldGates(copy.gates as Gates, flagged, withheld);
  }
  if (copy.evaluation !== null && typeof copy.evaluation === "object") {
    copy.evaluation = withWithheldRules(copy.evaluation as Evaluation, flagged, withheld);
  }
  return withheld;
}

/**
 * How a gate is named, to a reader without the need, beside a status document of the person (its
 * `blockers`, `policy_considerations` and `gates: { results }`): by the status's own decision
 * (`withoutConfidentialMatters`), so a gate the status shows as `withheld-N` is named `withheld-N`
 * and one it shows by name keeps it. A gate the status does not show holding (one that held when
 * a transport plan struck the person, and no longer does) is withheld too, with the next id,
 * unless it names no matter (GATES_NAMING_NO_MATTER): its evidence is not at hand, and it may
 * have rested on a flagged record. With no flagged record, every gate keeps its name, as in the
 * status. Transport plans' strikes and left-out cases are named by it.
 */
export function gateNamesAsShown(
  status: object,
  flaggedRecords: ReadonlySet<string>,
): (gate: string) => string {
  if (flaggedRecords.size === 0) return (gate) => gate;
  const flagged = (citation: Citation) => flaggedRecords.has(flaggedRecordKey(citation));
  const withheld = withWithheldParts({ ...status } as Record<string, unknown>, flagged);
  const results = (status as { gates?: Gates | null }).gates?.results ?? [];
  const holding = new Set(results.filter((result) => result.holds !== false).map((result) => result.gate));
  return (gate) =>
    withheld.get(gate) ??
    (holding.has(gate) || GATES_NAMING_NO_MATTER.has(gate) ? gate : withheldIdOf(withheld, gate));
}

interface Blocker {
  readonly code: string;
  readonly evidence?: readonly Citation[];
}

interface GateResult {
  readonly gate: string;
  readonly holds?: boolean;
  readonly evidence?: readonly Citation[];
}

/** A status's `{ clear, results }`, or a person view's `{ holding, evaluation: { clear, results } }`. */
interface Gates {
  readonly results?: readonly GateResult[];
  readonly holding?: readonly string[];
  readonly evaluation?: Gates | null;
}

/** The id `withheld` gives `original`, giving it the next one if it has none yet. */
function withheldIdOf(withheld: Map<string, string>, original: string): string {
  let id = withheld.get(original);
  if (id === undefined) {
    id = `${WITHHELD_RULE_PREFIX}${withheld.size + 1}`;
    withheld.set(original, id);
  }
  return id;
}

/** Blockers (or policy considerations) with those resting on a flagged record withheld. */
function withWithheldBlockers(
  blockers: readonly Blocker[],
  flagged: (citation: Citation) => boolean,
  withheld: Map<string, string>,
): Blocker[] {
  return blockers.map((blocker) =>
    restsOnFlagged(blocker, flagged)
      ? {
          ...blocker,
          code: withheldIdOf(withheld, blocker.code),
          detail: null,
          ...("binding" in blocker ? { binding: WITHHELD_BINDING } : {}),
          ...WITHHELD_MATTER,
        }
      : blocker,
  );
}

/**
 * The gates whose name, description and basis say nothing of the matter a flagged record is about
 * (that there is no executable order, that identity is unconfirmed, that notice was not served,
 * that a departure is claimed): resting on a flagged record, they keep their name and lose only
 * the flagged citations. Every other gate resting on one is withheld, whatever it is: a blocker
 * gate (ASYLEE), WITHHOLDING_COUNTRY_DESTINATION ("Withholding or CAT protection bars removal"),
 * a gate not known here yet. Fail closed: a new gate is withheld until it is added here.
 */
export const GATES_NAMING_NO_MATTER: ReadonlySet<string> = new Set([
  "NO_EXECUTABLE_ORDER",
  "IDENTITY_NOT_CONFIRMED",
  "IN_ABSENTIA_NOTICE_NOT_SERVED",
]);

/**
 * Gates with each gate resting on a flagged record withheld, unless it names no matter
 * (GATES_NAMING_NO_MATTER), and each gate named after a withheld blocker renamed as that blocker
 * was. A gate listed as holding whose evidence the document does not give (a person view without
 * its gate evaluation) is withheld unless it names no matter or is a blocker kept whole.
 */
function withWithheldGates(
  gates: Gates,
  flagged: (citation: Citation) => boolean,
  withheld: Map<string, string>,
): Gates {
  const renamed = (gate: string, evidence?: readonly Citation[]) =>
    withheld.has(gate) || (evidence?.some(flagged) && !GATES_NAMING_NO_MATTER.has(gate))
      ? withheldIdOf(withheld, gate)
      : gate;
  const copy: Record<string, unknown> = { ...gates };
  if (Array.isArray(gates.results)) {
    const results = gates.results.map((result) => {
      const gate = renamed(result.gate, result.evidence);
      if (gate === result.gate) return result;
      // A blocker gate's own words say what the matter is ("Pending or granted T/U/VAWA/SIJ").
      return {
        ...result,
        gate,
        ...("description" in result ? { description: WITHHELD_MATTER.description } : {}),
        ...("basis" in result ? { basis: WITHHELD_MATTER.basis } : {}),
      };
    });
    // Every gate is listed, holding or not: with one withheld, the gate missing from the list
    // would name it. Only the gates that hold are shown then.
    const withheldAny = results.some((result, index) => result.gate !== gates.results![index]!.gate);
    copy.results = withheldAny ? results.filter((result) => result.holds !== false) : results;
  }
  if (gates.evaluation !== null && typeof gates.evaluation === "object") {
    copy.evaluation = withWithheldGates(gates.evaluation, flagged, withheld);
  }
  if (Array.isArray(gates.holding)) {
    const judged = new Set(gatesJudged(gates));
    copy.holding = gates.holding.map((gate) =>
      withheld.has(gate) || judged.has(gate) || GATES_NAMING_NO_MATTER.has(gate) || gate in BLOCKERS
        ? (withheld.get(gate) ?? gate)
        : withheldIdOf(withheld, gate),
    );
  }
  return copy as Gates;
}

/** The gates a `Gates` lists with their evidence, at any depth. */
function gatesJudged(gates: Gates): string[] {
  return [
    ...(gates.results ?? []).map((result) => result.gate),
    ...(gates.evaluation !== null && typeof gates.evaluation === "object"
      ? gatesJudged(gates.evaluation)
      : []),
  ];
}

interface Evaluation {
  readonly decidedBy?: { readonly kind: string; readonly ruleId?: string | undefined };
  readonly firedRules?: readonly { readonly id: string; readonly evidence?: readonly Citation[] }[];
}

/** Whether a part's own `evidence` cites a flagged record. */
function restsOnFlagged(part: unknown, flagged: (citation: Citation) => boolean): boolean {
  const evidence = (part as { evidence?: unknown } | null | undefined)?.evidence;
  return Array.isArray(evidence) && (evidence as Citation[]).some(flagged);
}

/** The evaluation with each fired rule resting on a flagged record withheld, and its decision named so. */
function withWithheldRules(
  evaluation: Evaluation,
  flagged: (citation: Citation) => boolean,
  withheld: Map<string, string>,
): Evaluation {
  if (!Array.isArray(evaluation.firedRules)) return evaluation;
  const firedRules = evaluation.firedRules.map((rule) =>
    restsOnFlagged(rule, flagged)
      ? { ...rule, id: withheldIdOf(withheld, rule.id), ...WITHHELD_MATTER }
      : rule,
  );
  const decidedBy = evaluation.decidedBy;
  const decidedId = decidedBy?.kind === "rule" ? withheld.get(decidedBy.ruleId ?? "") : undefined;
  return {
    ...evaluation,
    firedRules,
    ...(decidedId === undefined ? {} : { decidedBy: { kind: "rule", ruleId: decidedId } }),
  };
}

/** Every `evidence` list, at any depth, without the entries citing a flagged record. */
function withoutFlaggedCitations(value: unknown, flagged: (citation: Citation) => boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutFlaggedCitations(item, flagged));
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      key === "evidence" && Array.isArray(item)
        ? (item as Citation[]).filter((citation) => !flagged(citation))
        : withoutFlaggedCitations(item, flagged);
  }
  return copy;
}
