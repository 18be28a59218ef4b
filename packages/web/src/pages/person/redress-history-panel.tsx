import type { ColumnDef } from "@tanstack/react-table";
import { fetchRedressRequests, type RedressRequest } from "../../api/redress-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { DataTable, ErrorAlert, Loading, useAsync } from "../../design/index.ts";
import { REDRESS_FILED_COLUMN, REDRESS_STATUS_COLUMN } from "../redress/redress-columns.tsx";

const DAY_MILLISECONDS = 86_400_000;

function resolution(request: RedressRequest): string {
  if (request.resolvedAt === null) return "open";
  const days = Math.floor((Date.parse(request.resolvedAt) - Date.parse(request.filedAt)) / DAY_MILLISECONDS);
  return `${request.resolvedAt.slice(0, 10)} by ${request.resolvedBy ?? "?"} (${days} day${days === 1 ? "" : "s"})`;
}

const COLUMNS: ColumnDef<RedressRequest, unknown>[] = [
  { header: "Request", accessorKey: "requestId", cell: (cell) => <code>{String(cell.getValue())}</code> },
  { header: "Kind", accessorFn: (row) => row.kind.replaceAll("_", " ") },
  REDRESS_FILED_COLUMN,
  REDRESS_STATUS_COLUMN,
  {
    header: "Outcome",
    accessorFn: (row) => (row.outcome ? `${row.outcome}: ${row.outcomeReason ?? ""}` : "—"),
  },
  { header: "Resolved", accessorFn: resolution },
];

/** Every redress request about this person, newest first: what was claimed, and what came of it. */
export function RedressHistoryPanel({ personId }: { personId: string }) {
  const { purpose } = useSession();
  const requests = useAsync(
    (signal) =>
      purpose ? fetchRedressRequests({ personId }, purpose, signal) : Promise.resolve([] as RedressRequest[]),
    [personId, purpose],
  );
  return (
    <div className="stack">
      {requests.loading ? <Loading what="redress requests" /> : null}
      <ErrorAlert error={requests.error} />
      <DataTable
        caption="Redress requests about this person, newest first"
        columns={COLUMNS}
        rows={requests.data ?? []}
        rowKey={(row) => row.requestId}
        empty="No redress request about this person."
      />
    </div>
  );
}
