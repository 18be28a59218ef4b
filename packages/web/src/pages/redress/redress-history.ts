import type { RedressCorrection } from "../../api/redress-api.ts";

/** What a `source_superseded` event of a request's history says: the source wrote new content over a corrected record. */
export function supersededNote(details: Readonly<Record<string, unknown>>): string {
  return `The source (${String(details.source)}) has since written version ${String(details.version)} of ${String(details.record)}, replacing the corrected version ${String(details.correctedVersion)}: check whether the correction still holds.`;
}

/**
 * What a `links_partly_decided` event of a request's history says: the link decisions a resolution
 * took (they stand), the one refused and why; the request stays open.
 */
export function partlyDecidedNote(details: Readonly<Record<string, unknown>>): string {
  const taken = Array.isArray(details.taken) ? (details.taken as RedressCorrection[]) : [];
  const refused = details.refused as RedressCorrection | undefined;
  return `A resolution was refused part-way: ${taken.map(correctionNote).join("; ")} stand${taken.length === 1 ? "s" : ""}; refused: ${refused ? correctionNote(refused) : "a link decision"} (${String(details.problem)}). The request stays open: resolve it again without what stands.`;
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
