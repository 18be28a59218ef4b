/** What a `source_superseded` event of a request's history says: the source wrote new content over a corrected record. */
export function supersededNote(details: Readonly<Record<string, unknown>>): string {
  return `The source (${String(details.source)}) has since written version ${String(details.version)} of ${String(details.record)}, replacing the corrected version ${String(details.correctedVersion)}: check whether the correction still holds.`;
}
