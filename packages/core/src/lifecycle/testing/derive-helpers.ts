import type { SourceRecord } from "../../records/source-record.ts";
import { type DeriveStatusOptions, deriveStatus } from "../derive-status.ts";
import type { PersonStatus } from "../person-status.ts";

/** Derives a status as of a date (test shorthand). */
export function statusAsOf(
  records: readonly SourceRecord[],
  asOf: string,
  options: Omit<DeriveStatusOptions, "asOf"> = {},
): PersonStatus {
  return deriveStatus(records, { ...options, asOf });
}

/** The compact view golden tests compare: state, overlay and blocker codes, executability. */
export function summaryOf(status: PersonStatus) {
  return {
    primary: status.state.primary,
    detail: status.state.detail,
    since: status.state.since,
    until: status.state.until,
    overlays: status.overlays.map((overlay) => overlay.overlay),
    blockers: status.blockers.map((blocker) => blocker.code),
    policyConsiderations: status.policyConsiderations.map((consideration) => consideration.code),
    finalOrderExecutable: status.finalOrderExecutable,
  };
}

/** The blocker (or policy consideration) of a code, or a failure naming what the status holds instead. */
export function blockerOf(status: PersonStatus, code: string) {
  const blocker = [...status.blockers, ...status.policyConsiderations].find(
    (candidate) => candidate.code === code,
  );
  if (blocker === undefined) {
    throw new Error(
      `no ${code} blocker; the status has ${status.blockers.map((item) => item.code).join(", ") || "none"}`,
    );
  }
  return blocker;
}
