const CONFIDENTIAL_OVERLAYS = new Set(["CONFIDENTIAL_ASYLUM", "CONFIDENTIAL_1367"]);

type Citation = { feed: string; recordKey: string };

/** The key a flagged record is named by in the sets the redaction takes: `feed:recordKey`. */
export function flaggedRecordKey(citation: Citation): string {
  return `${citation.feed}:${citation.recordKey}`;
}

/**
 * A status document, the status parts of a person view, or a worklist explanation, for a reader
 * without the need to know the case's asylum or 1367 matters (8 CFR 208.6, 8 U.S.C. 1367): the
 * confidentiality overlays go, every timeline entry resting on a flagged record goes, every
 * citation of a flagged record goes from every evidence list, and the raw facts (a status's
 * `facts`, an explanation's `inputs`) go. What protects the person — the state, the blockers,
 * the gates, the rules that ranked the case — stays, so the protection shows without saying
 * what it is about. The one redaction of the status read and the worklist.
 */
export function withoutConfidentialMatters<T extends object>(
  document: T,
  flaggedRecords: ReadonlySet<string>,
): T {
  const flagged = (citation: Citation) => flaggedRecords.has(flaggedRecordKey(citation));
  const copy = { ...document } as Record<string, unknown>;
  if (Array.isArray(copy.overlays)) {
    copy.overlays = (copy.overlays as { overlay: string }[]).filter(
      (overlay) => !CONFIDENTIAL_OVERLAYS.has(overlay.overlay),
    );
  }
  if (Array.isArray(copy.timeline)) {
    copy.timeline = (copy.timeline as { evidence: Citation[] }[]).filter(
      (entry) => !entry.evidence.some(flagged),
    );
  }
  if ("facts" in copy) copy.facts = null;
  if ("inputs" in copy) copy.inputs = null;
  // Nothing to cite: the walk below would only copy the document.
  if (flaggedRecords.size === 0) return copy as T;
  return withoutFlaggedCitations(copy, flagged) as T;
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
