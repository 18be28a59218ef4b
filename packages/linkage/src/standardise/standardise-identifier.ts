import { compactIdentifier } from "./fold-text.ts";

/**
 * How an identifier column is read. `a_number`: digits padded to 9 (SOURCES.md);
 * `passport`: letters and digits, meaningful only with its issuing country; `i94`: 11 letters
 * or digits; `opaque` (FIN): compared exactly as written, never interpreted; `generic`:
 * letters and digits.
 */
export const IDENTIFIER_SCHEMES = ["a_number", "passport", "i94", "opaque", "generic"] as const;
export type IdentifierScheme = (typeof IDENTIFIER_SCHEMES)[number];

/** Whether a scheme tolerates one typo (an opaque reference never does: it is not ours to read). */
export function toleratesTypos(scheme: IdentifierScheme): boolean {
  return scheme !== "opaque";
}

/** The comparable form of an identifier, or undefined when nothing identifying is left. */
export function standardiseIdentifier(text: string, scheme: IdentifierScheme): string | undefined {
  if (scheme === "opaque") {
    const trimmed = text.trim();
    return trimmed.length > 0 ? trimmed : undefined;
  }
  const compact = compactIdentifier(text);
  if (scheme === "a_number") {
    const digits = compact.replace(/^A/, "");
    if (!/^\d{1,9}$/.test(digits) || /^0+$/.test(digits)) return undefined;
    return digits.padStart(9, "0");
  }
  if (compact.length === 0 || /^0+$/.test(compact)) return undefined;
  return compact;
}
