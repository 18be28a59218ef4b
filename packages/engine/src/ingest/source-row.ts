/**
 * One row of a source as the readers hand it on: the raw cells keyed by column, or the reason it
 * could not be read at all (a CSV syntax error, a line that is not a JSON object). `line` is the
 * physical line of the file on which the row starts (1-based, the header being line 1 of a CSV).
 */
export type SourceRow =
  | { readonly kind: "row"; readonly line: number; readonly raw: Record<string, unknown> }
  | { readonly kind: "malformed"; readonly line: number; readonly reason: string };

/** Readers yield rows in chunks: one await per chunk rather than per row keeps the hot loop tight. */
export const ROW_CHUNK_SIZE = 512;

/**
 * The most characters of one row's text a reader holds (1 MiB): a longer CSV record or NDJSON
 * line is a malformed row, and the rest of it is dropped as it arrives, so one enormous line
 * costs its own row and no more memory than the limit (the HTTP feed's limit too).
 */
export const MAX_ROW_CHARACTERS = 1024 * 1024;

/** A character limit as a rejection reason names it: `1 MiB (1048576 characters)`. */
export function describeCharacterLimit(characters: number): string {
  return characters % (1024 * 1024) === 0
    ? `${characters / (1024 * 1024)} MiB (${characters} characters)`
    : `${characters} characters`;
}
