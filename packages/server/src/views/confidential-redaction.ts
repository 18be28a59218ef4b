const CONFIDENTIAL_OVERLAYS = new Set(["CONFIDENTIAL_ASYLUM", "CONFIDENTIAL_1367"]);

type Citation = { feed: string; recordKey: string };

/**
 * A status document (or the status parts of a person view) for a reader without the need to know
 * the case's asylum or 1367 matters (8 CFR 208.6, 8 U.S.C. 1367): the confidentiality overlays go,
 * and so does every piece of evidence and timeline entry resting on a flagged record, and the raw
 * facts. What protects the person — the state, the blockers, the gates — stays, so the protection
 * shows without saying what it is about.
 */
export function withoutConfidentialMatters<T extends Record<string, unknown>>(
  document: T,
  flaggedRecords: ReadonlySet<string>,
): T {
  const flagged = (citation: Citation) => flaggedRecords.has(`${citation.feed}:${citation.recordKey}`);
  const copy: Record<string, unknown> = { ...document };
  if (Array.isArray(copy.overlays)) {
    copy.overlays = (copy.overlays as { overlay: string }[]).filter(
      (overlay) => !CONFIDENTIAL_OVERLAYS.has(overlay.overlay),
    );
  }
  if (Array.isArray(copy.evidence))
    copy.evidence = (copy.evidence as Citation[]).filter((entry) => !flagged(entry));
  if (Array.isArray(copy.timeline)) {
    copy.timeline = (copy.timeline as { evidence: Citation[] }[]).filter(
      (entry) => !entry.evidence.some(flagged),
    );
  }
  if ("facts" in copy) copy.facts = null;
  return copy as T;
}
