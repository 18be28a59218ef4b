import type { RedressCorrection } from "../../api/redress-api.ts";

/** What a `source_superseded` event of a request's history says: the source wrote new content over a corrected record. */
export function supersededNote(details: Readonly<Record<string, unknown>>): string {
  return `The source (${String(details.source)}) has since written version ${String(details.version)} of ${String(details.record)}, replacing the corrected version ${String(details.correctedVersion)}: check whether the correction still holds.`;
}

/** One thing a granted resolution did, in words: the record (or pair) and what became of it. */
export function correctionNote(correction: RedressCorrection): string {
  switch (correction.outcome) {
    case "unlinked":
      return `${correction.record}: unlinked from the person`;
    case "cannot_link": {
      const [left, right] = correction.record.split(" ~ ");
      return right ? `${left} and ${right}: never to be linked` : `${correction.record}: never to be linked`;
    }
    case "new":
      return `${correction.record}: written as a new record${versionOf(correction)}`;
    case "corrected":
      return `${correction.record}: corrected${versionOf(correction)}`;
    case "unchanged":
      return `${correction.record}: already as the correction says${versionOf(correction)}`;
    default:
      return `${correction.record}: ${correction.outcome.replaceAll("_", " ")}${versionOf(correction)}`;
  }
}

function versionOf(correction: RedressCorrection): string {
  return correction.version === undefined ? "" : ` (version ${correction.version})`;
}
