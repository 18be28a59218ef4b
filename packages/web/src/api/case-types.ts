/**
 * Shapes of the case-data answers (persons, records, status), as the server's routes send them:
 * the status document of `passage status --json` (CLI.md) and the person view with sourced values.
 */

/** A record version a conclusion rests on: `feed:recordKey@vN`. */
export interface RecordCitation {
  readonly feed: string;
  readonly recordKey: string;
  readonly version: number;
}

/** A value some records give, with the records (`feed:key`) that give it — never a merged value. */
export interface SourcedValue {
  readonly value: unknown;
  readonly sources: readonly string[];
}

export interface RecordSummary {
  readonly record: string;
  readonly version: number;
  readonly recordedAt: string;
  readonly fields: Record<string, unknown>;
}

export interface StateView {
  readonly primary: string;
  readonly detail: string | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly description: string;
  readonly evidence: readonly RecordCitation[];
}

export interface OverlayView {
  readonly overlay: string;
  readonly since: string | null;
  readonly until: string | null;
  readonly description: string;
  readonly evidence: readonly RecordCitation[];
  readonly claimIds?: readonly string[];
}

export interface BlockerView {
  readonly code: string;
  readonly binding: string;
  readonly basis: string;
  readonly description: string;
  readonly detail: string;
  readonly evidence: readonly RecordCitation[];
  readonly claimIds?: readonly string[];
}

export interface GateResult {
  readonly gate: string;
  readonly holds: boolean;
  readonly description: string;
  readonly basis: string;
  readonly evidence: readonly RecordCitation[];
}

export interface TimelineEntry {
  readonly date: string;
  readonly event: string;
  readonly description: string;
  readonly evidence: readonly RecordCitation[];
}

export interface EvidenceEntry extends RecordCitation {
  readonly supports: readonly string[];
}

/** `GET /persons/{id}/status`: the CLI.md status document. */
export interface StatusDocument {
  readonly person_id: string;
  readonly actionable: boolean;
  readonly as_of: string;
  readonly known_at: string | null;
  readonly state: StateView;
  readonly overlays: readonly OverlayView[];
  readonly blockers: readonly BlockerView[];
  readonly gates: { readonly clear: boolean; readonly results: readonly GateResult[] };
  readonly final_order_executable: boolean;
  readonly next_change_on: string | null;
  /** Null for a reader without the need to know asylum and 1367 matters, on every case alike. */
  readonly facts: Record<string, unknown> | null;
  readonly timeline: readonly TimelineEntry[];
  readonly evidence: readonly EvidenceEntry[];
}

/** `GET /persons/{id}`: the person view; field groups the reader may not see are absent. */
export interface PersonAnswer {
  readonly person: Record<string, unknown> & { readonly person_id: string };
  readonly hiddenFieldGroups: readonly string[];
}

/** One stored version of a source record, with its provenance. */
export interface RecordVersion {
  readonly feed: string;
  readonly recordKey: string;
  readonly version: number;
  readonly latest?: boolean;
  readonly fields: Record<string, unknown>;
  /** Provenance: the kind and name of the source (a feed file, an HTTP batch, a redress correction), its row. */
  readonly sourceKind?: string;
  readonly sourceName?: string;
  readonly sourceRow?: number | null;
  readonly receivedAt?: string;
  readonly recordedAt?: string;
  readonly confidentiality?: readonly string[];
}

/** `feed:key@vN`, the printed form of a citation. */
export function formatCitation(citation: RecordCitation): string {
  return `${citation.feed}:${citation.recordKey}@v${citation.version}`;
}
