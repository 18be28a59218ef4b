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
