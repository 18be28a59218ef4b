import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import {
  type AuditEntry,
  type IntactAuditEntry,
  isTamperedEntry,
  type TamperedAuditEntry,
} from "../../api/audit-api.ts";
import { Alert, Badge, Button, DataTable } from "../../design/index.ts";

/** How much of an undecodable entry's raw content is shown (a row may hold anything). */
const RAW_CONTENT_SHOWN = 500;

/**
 * A tampered entry's fields are what the altered row now says, not what was logged: the table
 * shows none of them as if they were the record, only the mark and the problem.
 */
function recorded(entry: AuditEntry, value: (intact: Exclude<AuditEntry, TamperedAuditEntry>) => string) {
  return isTamperedEntry(entry) ? "—" : value(entry);
}

function entryColumns(onProve: ((index: number) => void) | undefined): ColumnDef<AuditEntry, unknown>[] {
  const columns: ColumnDef<AuditEntry, unknown>[] = [
    { header: "#", accessorKey: "index" },
    {
      header: "Time",
      accessorFn: (entry) => recorded(entry, (intact) => intact.time.slice(0, 19).replace("T", " ")),
    },
    { header: "Actor", accessorFn: (entry) => recorded(entry, (intact) => intact.actor) },
    { header: "Purpose", accessorFn: (entry) => recorded(entry, (intact) => intact.purpose) },
    {
      header: "Action",
      accessorFn: (entry) => recorded(entry, (intact) => intact.action),
      cell: (cell) => (isTamperedEntry(cell.row.original) ? "—" : <code>{String(cell.getValue())}</code>),
    },
    {
      header: "Resource",
      accessorFn: (entry) => recorded(entry, (intact) => `${intact.resourceType} ${intact.resourceId}`),
    },
    {
      header: "Decision",
      accessorFn: (entry) => (isTamperedEntry(entry) ? "tampered" : entry.decision),
      cell: (cell) =>
        cell.getValue() === "tampered" ? (
          <Badge tone="danger">TAMPERED</Badge>
        ) : cell.getValue() === "allow" ? (
          <Badge tone="success">allowed</Badge>
        ) : cell.getValue() === "withheld" ? (
          <Badge tone="neutral">withheld</Badge>
        ) : (
          <Badge tone="danger">denied</Badge>
        ),
    },
    {
      header: "Outcome",
      accessorFn: (entry) => (isTamperedEntry(entry) ? entry.problem : outcomeOf(entry)),
    },
  ];
  if (!onProve) return columns;
  return [
    ...columns,
    {
      id: "proof",
      header: "Proof",
      enableSorting: false,
      cell: (cell) => (
        <Button
          onClick={() => onProve(cell.row.original.index)}
          aria-label={`Prove entry ${cell.row.original.index}`}
        >
          Prove
        </Button>
      ),
    },
  ];
}

/** A decision as the page words it. */
const DECISION_WORDS: Record<IntactAuditEntry["decision"], string> = {
  allow: "allowed",
  deny: "denied",
  withheld: "decision withheld",
};

/**
 * An allowed write is recorded twice: when it starts (`details.phase` "started", before its work
 * runs) and with its outcome ("finished"). The first is shown as "started", not as a success.
 */
function outcomeOf(entry: Exclude<AuditEntry, TamperedAuditEntry>): string {
  if (entry.details.phase === "started") return "started";
  return `${entry.outcome}${entry.errorCode ? ` (${entry.errorCode})` : ""}`;
}

function rawContent(content: string): string {
  return content.length > RAW_CONTENT_SHOWN
    ? `${content.slice(0, RAW_CONTENT_SHOWN)}… (${content.length.toLocaleString("en-US")} characters)`
    : content;
}

/** What a tampered entry holds now: its raw content, or the fields the altered row claims. */
function nowHolds(entry: TamperedAuditEntry) {
  if ("content" in entry) {
    return (
      <>
        {" "}
        It now holds: <code>{rawContent(entry.content)}</code>
      </>
    );
  }
  return (
    <>
      {" "}
      It now reads (not what was logged): {entry.actor} <code>{entry.action}</code> {entry.resourceType}{" "}
      {entry.resourceId}, {DECISION_WORDS[entry.decision]}, {entry.outcome}.
    </>
  );
}

/** The page's tampered entries, each with the server's problem, above the table that marks them. */
function TamperedEntriesAlert({ entries }: { entries: readonly TamperedAuditEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <Alert
      tone="error"
      title={`${entries.length} ${entries.length === 1 ? "entry" : "entries"} on this page tampered with`}
    >
      <ul>
        {entries.map((entry) => (
          <li key={entry.index}>
            Entry {entry.index}: {entry.problem.replace(/\.$/, "")}.{nowHolds(entry)}
          </li>
        ))}
      </ul>
      <p>Verify the audit log to find the first bad entry against the signed checkpoints.</p>
    </Alert>
  );
}

/**
 * A page of audit entries; an entry the server marks tampered is flagged, never shown as a record.
 * The columns are built once per `onProve` (pass a stable one): the table renders a cell function
 * as a component, so new columns on every render would remount every Prove button and drop the
 * keyboard focus of the one just pressed.
 */
export function AuditEntriesTable({
  entries,
  onProve,
}: {
  entries: readonly AuditEntry[];
  /** Asks for the inclusion proof of an entry; without it the table has no proof column. */
  onProve?: (index: number) => void;
}) {
  const columns = useMemo(() => entryColumns(onProve), [onProve]);
  return (
    <>
      <TamperedEntriesAlert entries={entries.filter(isTamperedEntry)} />
      <DataTable
        caption="Audit entries"
        columns={columns}
        rows={entries}
        rowKey={(entry) => String(entry.index)}
      />
    </>
  );
}
