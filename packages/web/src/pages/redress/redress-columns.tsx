import type { ColumnDef } from "@tanstack/react-table";
import type { RedressRequest } from "../../api/redress-api.ts";
import { Badge } from "../../design/index.ts";

/** A request's status as a badge with its word (colour is never the only signal). */
export const REDRESS_STATUS_COLUMN: ColumnDef<RedressRequest, unknown> = {
  header: "Status",
  accessorKey: "status",
  cell: (cell) => (
    <Badge tone={cell.getValue() === "resolved" ? "success" : "warning"}>
      {String(cell.getValue()).replace("_", " ")}
    </Badge>
  ),
};

/** Who filed a request, and when. */
export const REDRESS_FILED_COLUMN: ColumnDef<RedressRequest, unknown> = {
  header: "Filed",
  accessorFn: (row) => `${row.filedAt.slice(0, 10)} by ${row.filedBy}`,
};
