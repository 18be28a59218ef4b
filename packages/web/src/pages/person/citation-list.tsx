import { useState } from "react";
import { fetchRecord } from "../../api/case-api.ts";
import { formatCitation, type RecordCitation, type RecordVersion } from "../../api/case-types.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Button, Dialog, ErrorAlert, Loading, useAsync } from "../../design/index.ts";
import { RecordFields } from "./record-fields.tsx";

/** The provenance of one record: every version, where it came from, when it was recorded. */
function ProvenanceDialog({ reference, onClose }: { reference: string; onClose: () => void }) {
  const { purpose } = useSession();
  const answer = useAsync(() => fetchRecord(reference, purpose), [reference, purpose]);
  return (
    <Dialog open title={`Record ${reference}`} onClose={onClose}>
      {answer.loading ? <Loading what="the record" /> : null}
      <ErrorAlert error={answer.error} />
      {answer.data ? <VersionList versions={answer.data.versions} /> : null}
      <Button onClick={onClose}>Close</Button>
    </Dialog>
  );
}

/** Versions of a record, newest first, each with its source. */
export function VersionList({ versions }: { versions: readonly RecordVersion[] }) {
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <ol className="stack" style={{ paddingLeft: 20 }}>
      {sorted.map((version) => (
        <li key={version.version}>
          <strong>Version {version.version}</strong>
          {version.latest === false ? " (superseded)" : ""}
          <div className="field-hint">
            From {version.sourceKind ?? "source"} {version.sourceName ?? ""}
            {version.sourceRow ? `, row ${version.sourceRow}` : ""}; recorded {version.recordedAt ?? "—"}
          </div>
          <RecordFields fields={version.fields} />
        </li>
      ))}
    </ol>
  );
}

/** Citations as buttons that open the cited record's provenance (when the reader may read records). */
export function CitationList({ citations }: { citations: readonly RecordCitation[] }) {
  const session = useSession();
  const [open, setOpen] = useState<string | undefined>(undefined);
  if (citations.length === 0) return <span className="field-hint">no record cited</span>;
  const canOpen = session.may("record.read");
  return (
    <span className="row" style={{ gap: 6, alignItems: "center" }}>
      <span className="visually-hidden">Evidence:</span>
      {citations.map((citation) => {
        const label = formatCitation(citation);
        return canOpen ? (
          <button
            key={label}
            type="button"
            className="button mono"
            style={{ padding: "0 8px", minHeight: 26 }}
            onClick={() => setOpen(`${citation.feed}:${citation.recordKey}`)}
            aria-label={`Open record ${label}`}
          >
            {label}
          </button>
        ) : (
          <code key={label}>{label}</code>
        );
      })}
      {open ? <ProvenanceDialog reference={open} onClose={() => setOpen(undefined)} /> : null}
    </span>
  );
}
