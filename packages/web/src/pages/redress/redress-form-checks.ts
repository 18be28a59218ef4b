import type { DocumentReference, RedressKind, Resolution } from "../../api/redress-api.ts";

const DOCUMENT_FIELDS = [
  ["type", "Document type"],
  ["number", "Document number"],
  ["issuer", "Issued by"],
] as const;

/**
 * The supporting document of a filing: none (every field empty), the reference, or the sentence
 * naming the fields still missing. A reference missing its issuer was dropped without a word.
 */
export function documentReferenceOf(document: DocumentReference): {
  readonly reference?: DocumentReference;
  readonly problem?: string;
} {
  const trimmed = {
    type: document.type.trim(),
    number: document.number.trim(),
    issuer: document.issuer.trim(),
  };
  const missing = DOCUMENT_FIELDS.filter(([field]) => !trimmed[field]).map(([, label]) => `“${label}”`);
  if (missing.length === DOCUMENT_FIELDS.length) return {};
  if (missing.length === 0) return { reference: trimmed };
  return {
    problem: `The supporting document is incomplete: fill in ${missing.join(" and ")} as well, or clear its other fields to file without a document.`,
  };
}

/** A correction record as typed in the resolve form: the feed and the row as JSON. */
export interface CorrectionDraft {
  readonly feed: string;
  readonly row: string;
}

/** What the resolve form holds before it becomes the API's resolution. */
export interface ResolutionDraft {
  readonly kind: RedressKind;
  readonly outcome: Resolution["outcome"];
  readonly reason: string;
  readonly effectiveDate: string;
  readonly corrections: readonly CorrectionDraft[];
  /** Records (FEED:KEY) to take out of the person, one a line. */
  readonly unlinks: string;
  /** Pairs of records never to be linked again, one pair a line: `FEED:KEY FEED:KEY`. */
  readonly cannotLink: string;
}

const RECORD_REFERENCE = /^[a-z0-9_]+:\S+$/i;

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function correctionRowOf(draft: CorrectionDraft, position: number, problems: string[]) {
  const label = `Correction record ${position}`;
  if (!draft.feed.trim()) problems.push(`${label}: name its feed (e.g. court).`);
  let row: unknown;
  try {
    row = JSON.parse(draft.row);
  } catch (error) {
    problems.push(`${label}: the row is not JSON (${(error as Error).message}).`);
    return undefined;
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    problems.push(`${label}: the row must be a JSON object of field names and values.`);
    return undefined;
  }
  const values = Object.entries(row as Record<string, unknown>);
  const bad = values.find(
    ([, value]) => value !== null && !["string", "number", "boolean"].includes(typeof value),
  );
  if (bad) {
    problems.push(`${label}: field “${bad[0]}” must be text, a number, true/false or null.`);
    return undefined;
  }
  return { feed: draft.feed.trim(), row: row as Record<string, string | number | boolean | null> };
}

/**
 * The resolution to send, or every problem of the form named. A grant writes what it decides: a
 * citizenship claim its effective date; any other request at least one correction record, unlink or
 * cannot-link decision (the server refuses a grant without one, and the form had no field for them).
 */
export function resolutionOf(draft: ResolutionDraft): {
  readonly resolution?: Resolution;
  readonly problems: readonly string[];
} {
  const problems: string[] = [];
  const reason = draft.reason.trim();
  if (!reason) problems.push("Give the reason for the resolution.");
  if (draft.outcome !== "granted") {
    return problems.length > 0 ? { problems } : { resolution: { outcome: draft.outcome, reason }, problems };
  }
  const citizenship = draft.kind === "citizenship";
  if (citizenship && !draft.effectiveDate) problems.push("Give the date the citizenship took effect.");
  const corrections = draft.corrections
    .filter((correction) => correction.feed.trim() || correction.row.trim())
    .map((correction, index) => correctionRowOf(correction, index + 1, problems))
    .filter((correction) => correction !== undefined);
  const unlinks = lines(draft.unlinks);
  for (const reference of unlinks.filter((line) => !RECORD_REFERENCE.test(line))) {
    problems.push(`Unlink “${reference}”: a record is named FEED:KEY, e.g. visa:V123.`);
  }
  const cannotLink = lines(draft.cannotLink).map((line) => {
    const pair = line.split(/[\s,]+/).filter(Boolean);
    if (pair.length !== 2 || !pair.every((reference) => RECORD_REFERENCE.test(reference))) {
      problems.push(`Never link “${line}”: write two records, FEED:KEY FEED:KEY, on each line.`);
    }
    return { left: pair[0] ?? "", right: pair[1] ?? "" };
  });
  const decided =
    draft.corrections.some((correction) => correction.feed.trim() || correction.row.trim()) ||
    unlinks.length > 0 ||
    cannotLink.length > 0;
  if (!citizenship && !decided) {
    problems.push(
      "A granted request is resolved by what it corrects: add at least one correction record, a record to unlink, or a pair never to link.",
    );
  }
  if (problems.length > 0) return { problems };
  return {
    resolution: {
      outcome: "granted",
      reason,
      ...(citizenship ? { citizenship: { effectiveDate: draft.effectiveDate } } : {}),
      ...(corrections.length > 0 ? { corrections } : {}),
      ...(unlinks.length > 0 ? { unlinks } : {}),
      ...(cannotLink.length > 0 ? { cannotLink } : {}),
    },
    problems,
  };
}
