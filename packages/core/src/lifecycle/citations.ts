import type { RecordCitation } from "../records/source-record.ts";

/**
 * Evidence lists. Each selected record version has exactly one citation object (made once when
 * the record is read), so citations are de-duplicated by identity: cheaper than building string
 * keys for every fact of every person.
 */

/** Something that carries the citation of the record it came from. */
export interface HasCitation {
  readonly citation: RecordCitation;
}

export function compareCitations(left: RecordCitation, right: RecordCitation): number {
  if (left.feed !== right.feed) return left.feed < right.feed ? -1 : 1;
  if (left.recordKey !== right.recordKey) return left.recordKey < right.recordKey ? -1 : 1;
  return left.version - right.version;
}

/** The distinct citations of the given events, sorted by feed, key and version (evidence is a set). */
export function citationsOf(...sources: readonly (HasCitation | null | undefined)[]): RecordCitation[] {
  const citations: RecordCitation[] = [];
  for (const source of sources) {
    if (source !== null && source !== undefined && !citations.includes(source.citation)) {
      citations.push(source.citation);
    }
  }
  return citations.length > 1 ? citations.sort(compareCitations) : citations;
}

/** Merges citation lists into one sorted, distinct list. */
export function mergeCitations(...lists: readonly (readonly RecordCitation[])[]): RecordCitation[] {
  const citations: RecordCitation[] = [];
  for (const list of lists)
    for (const citation of list) if (!citations.includes(citation)) citations.push(citation);
  return citations.length > 1 ? citations.sort(compareCitations) : citations;
}
