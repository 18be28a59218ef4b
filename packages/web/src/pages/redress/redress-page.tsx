import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { fetchRedressRequests, type RedressRequest } from "../../api/redress-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import { DataTable, ErrorAlert, Loading, PageHeader, SelectField, useAsync } from "../../design/index.ts";
import { FileRedressForm } from "./file-redress-form.tsx";
import { RedressCaseView } from "./redress-case-view.tsx";
import { REDRESS_FILED_COLUMN, REDRESS_STATUS_COLUMN } from "./redress-columns.tsx";

const STATUS_OPTIONS = [
  { value: "", label: "Every status" },
  { value: "filed", label: "Filed" },
  { value: "under_review", label: "Under review" },
  { value: "resolved", label: "Resolved" },
];

/** Redress: file a request for a person wrongly recorded; review and resolve it (data stewards). */
export function RedressPage() {
  const session = useSession();
  const [status, setStatus] = useState("");
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const mayRead = session.may("redress.read");
  const requests = useAsync(
    (signal) =>
      session.purpose && mayRead
        ? fetchRedressRequests({ status: status || undefined }, session.purpose, signal)
        : Promise.resolve([]),
    [status, session.purpose, generation, mayRead],
  );
  const columns: ColumnDef<RedressRequest, unknown>[] = [
    {
      header: "Request",
      accessorKey: "requestId",
      cell: (cell) => (
        <button type="button" className="button mono" onClick={() => setOpen(String(cell.getValue()))}>
          {String(cell.getValue())}
        </button>
      ),
    },
    { header: "Person", accessorKey: "personId" },
    { header: "Kind", accessorFn: (row) => row.kind.replaceAll("_", " ") },
    REDRESS_STATUS_COLUMN,
    { header: "Outcome", accessorFn: (row) => row.outcome ?? "—" },
    REDRESS_FILED_COLUMN,
  ];
  if (!session.purpose) {
    return (
      <>
        <PageHeader title="Redress" />
        <PurposeRequired />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Redress">
        <p>
          A person wrongly recorded can have it fixed. A citizenship claim blocks every action on the person
          as soon as it is filed.
        </p>
      </PageHeader>
      <div className={mayRead ? "grid-2" : ""}>
        {mayRead ? (
          <div className="stack">
            <SelectField
              label="Status"
              options={STATUS_OPTIONS}
              value={status}
              onChange={(event) => setStatus(event.target.value)}
            />
            {requests.loading ? <Loading what="requests" /> : null}
            <ErrorAlert error={requests.error} />
            <DataTable
              caption="Redress requests, newest first"
              columns={columns}
              rows={requests.data ?? []}
              rowKey={(row) => row.requestId}
              empty="No request."
            />
            {open ? (
              <RedressCaseView requestId={open} onChanged={() => setGeneration((value) => value + 1)} />
            ) : null}
          </div>
        ) : null}
        {session.may("redress.file") ? (
          <FileRedressForm onFiled={() => setGeneration((value) => value + 1)} />
        ) : null}
      </div>
    </>
  );
}
