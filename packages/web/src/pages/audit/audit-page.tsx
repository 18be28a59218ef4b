import type { ColumnDef } from "@tanstack/react-table";
import { type FormEvent, useCallback, useState } from "react";
import {
  type AuditVerification,
  type Checkpoint,
  fetchAuditEntries,
  fetchCheckpoints,
  fetchInclusionProof,
  signCheckpoint,
  verifyAudit,
} from "../../api/audit-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import {
  Alert,
  Button,
  countOf,
  DataTable,
  ErrorAlert,
  Loading,
  PageHeader,
  type Tab,
  Tabs,
  TextField,
  useAsync,
} from "../../design/index.ts";
import { AuditEntriesTable } from "./audit-entries-table.tsx";
import { InclusionProofResult } from "./inclusion-proof-result.tsx";

function EntriesPanel() {
  const { purpose } = useSession();
  const [draft, setDraft] = useState({ actor: "", resourceId: "" });
  const [filter, setFilter] = useState({ actor: "", resourceId: "" });
  const entries = useAsync(
    (signal) =>
      fetchAuditEntries(
        { actor: filter.actor || undefined, resourceId: filter.resourceId || undefined, limit: 200 },
        purpose,
        signal,
      ),
    [filter, purpose],
  );
  // The entry whose proof is asked for, and which press of Prove asked: pressing it again on the
  // same entry asks the server again (the log may have been checkpointed, or altered, since).
  const [proving, setProving] = useState<{ index: number; press: number } | undefined>(undefined);
  const proof = useAsync(
    (signal) =>
      proving === undefined
        ? Promise.resolve(undefined)
        : fetchInclusionProof(proving.index, purpose, signal),
    [proving?.index, proving?.press, purpose],
  );
  const onProve = useCallback(
    (index: number) => setProving((previous) => ({ index, press: (previous?.press ?? 0) + 1 })),
    [],
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFilter(draft);
    // A proof answered another list: nothing of it stays once the filter changes.
    setProving(undefined);
  }
  return (
    <div className="stack">
      <form className="row" onSubmit={onSubmit} aria-label="Filter entries">
        <TextField
          label="Actor"
          hint="e.g. user:supervisor"
          value={draft.actor}
          onChange={(event) => setDraft({ ...draft, actor: event.target.value })}
        />
        <TextField
          label="Resource ID"
          value={draft.resourceId}
          onChange={(event) => setDraft({ ...draft, resourceId: event.target.value })}
        />
        <Button type="submit">Filter</Button>
      </form>
      {entries.loading ? <Loading what="audit entries" /> : null}
      <ErrorAlert error={entries.error} />
      {entries.data ? (
        <>
          <p>
            The log holds {countOf(entries.data.size, "entry", "entries")}; the latest{" "}
            {entries.data.entries.length} matching are shown, newest first.
          </p>
          {proving !== undefined ? (
            <section aria-label="Inclusion proof" aria-live="polite">
              {proof.loading ? <Loading what={`the inclusion proof of entry ${proving.index}`} /> : null}
              <InclusionProofResult index={proving.index} proof={proof.data} error={proof.error} />
            </section>
          ) : null}
          <AuditEntriesTable entries={entries.data.entries} onProve={onProve} />
        </>
      ) : null}
    </div>
  );
}

function VerificationPanel() {
  const session = useSession();
  const [result, setResult] = useState<AuditVerification | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  async function verify() {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await verifyAudit(session.purpose));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="stack">
      <p>
        Recomputes every entry's hash, checks order and gaps, and compares the Merkle tree head with every
        signed checkpoint (RFC 9162). It names the first bad entry.
      </p>
      <div>
        <Button variant="primary" onClick={verify} disabled={busy}>
          {busy ? "Verifying…" : "Verify the audit log"}
        </Button>
      </div>
      <ErrorAlert error={error} />
      {result ? (
        result.ok ? (
          <Alert tone="success" title="The audit log verifies">
            {countOf(result.entries, "entry", "entries")},{" "}
            {countOf(result.checkpointsVerified, "signed checkpoint")} verified. Tree head{" "}
            <code>{result.rootHash}</code>.
          </Alert>
        ) : (
          <Alert tone="error" title="The audit log does NOT verify">
            <ul>
              {result.problems.map((problem) => (
                <li key={`${problem.kind}-${problem.index ?? problem.source}-${problem.reason}`}>
                  {problem.kind !== "entry"
                    ? `Checkpoint ${problem.source ?? ""}`
                    : problem.lastIndex === undefined
                      ? `Entry ${problem.index}`
                      : `Entries ${problem.index}..${problem.lastIndex}`}
                  : {problem.reason}
                </li>
              ))}
            </ul>
          </Alert>
        )
      ) : null}
    </div>
  );
}

/** Built once: the table renders a cell function as a component, so new ones would remount the cells. */
const CHECKPOINT_COLUMNS: ColumnDef<Checkpoint, unknown>[] = [
  { header: "Entries covered", accessorKey: "treeSize" },
  { header: "Signed at", accessorKey: "timestamp" },
  {
    header: "Tree head",
    accessorKey: "rootHash",
    cell: (cell) => <code>{String(cell.getValue()).slice(0, 24)}…</code>,
  },
  { header: "Key", accessorKey: "keyId" },
];

function CheckpointsPanel() {
  const session = useSession();
  const mayRead = session.may("audit.read");
  const [generation, setGeneration] = useState(0);
  const checkpoints = useAsync(
    (signal) => (mayRead ? fetchCheckpoints(session.purpose, signal) : Promise.resolve(undefined)),
    [session.purpose, generation, mayRead],
  );
  const [error, setError] = useState<unknown>(undefined);
  const [signed, setSigned] = useState<string | undefined>(undefined);
  const rows = [...(checkpoints.data?.checkpoints ?? [])].sort((a, b) => b.treeSize - a.treeSize);
  return (
    <div className="stack">
      {session.may("audit.checkpoint") ? (
        <div>
          <Button
            onClick={async () => {
              setError(undefined);
              try {
                const { checkpoint } = await signCheckpoint(session.purpose);
                setSigned(
                  checkpoint
                    ? `Checkpoint signed over the first ${countOf(checkpoint.treeSize, "entry", "entries")}.`
                    : "No new entry since the last checkpoint: nothing to sign.",
                );
                setGeneration((value) => value + 1);
              } catch (failure) {
                setError(failure);
              }
            }}
          >
            Sign a checkpoint now
          </Button>
        </div>
      ) : null}
      {signed ? <Alert tone="success">{signed}</Alert> : null}
      <ErrorAlert error={error ?? checkpoints.error} />
      {checkpoints.loading && mayRead ? <Loading what="checkpoints" /> : null}
      {checkpoints.data?.problems.length ? (
        <Alert tone="warning" title="Some checkpoint files could not be read">
          {checkpoints.data.problems.map((problem) => problem.reason ?? JSON.stringify(problem)).join("; ")}
        </Alert>
      ) : null}
      {mayRead ? (
        <DataTable
          caption="Signed checkpoints (also kept as files outside the database)"
          columns={CHECKPOINT_COLUMNS}
          rows={rows}
          rowKey={(row) => `${row.treeSize}-${row.timestamp}`}
          empty="No checkpoint signed yet."
        />
      ) : null}
    </div>
  );
}

/** The tamper-evident audit log: entries, verification, and the history of signed checkpoints. */
export function AuditPage() {
  const session = useSession();
  const tabs: Tab[] = [];
  if (session.may("audit.read"))
    tabs.push({ id: "entries", label: "Entries", content: () => <EntriesPanel /> });
  if (session.may("audit.verify"))
    tabs.push({ id: "verify", label: "Verification", content: () => <VerificationPanel /> });
  if (session.may("audit.read") || session.may("audit.checkpoint"))
    tabs.push({ id: "checkpoints", label: "Checkpoints", content: () => <CheckpointsPanel /> });
  return (
    <>
      <PageHeader title="Audit log">
        <p>Every read and write of case data, allowed or denied, with its actor and stated purpose.</p>
      </PageHeader>
      <Tabs label="Audit" tabs={tabs} />
    </>
  );
}
