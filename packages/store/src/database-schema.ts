import type { AccessTables } from "./repositories/access-tables.ts";
import type { AuditTables } from "./repositories/audit-tables.ts";
import type { LifecycleTables } from "./repositories/lifecycle-tables.ts";
import type { LinkageTables } from "./repositories/linkage-tables.ts";
import type { PersonTables } from "./repositories/person-tables.ts";
import type { PolicyTables } from "./repositories/policy-tables.ts";
import type { RecordTables } from "./repositories/record-tables.ts";
import type { RedressTables } from "./repositories/redress-tables.ts";

/**
 * Every table Kysely may query, composed from one interface per aggregate. Each repository
 * module declares the tables it owns beside its SQL.
 */
export interface Database
  extends RecordTables,
    AuditTables,
    AccessTables,
    PersonTables,
    LinkageTables,
    LifecycleTables,
    PolicyTables,
    RedressTables {}
