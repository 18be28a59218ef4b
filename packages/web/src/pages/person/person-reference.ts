/**
 * A person ID as typed into "Open a case": person IDs are upper case (`P-XR5VMRA3HXGS`), so one
 * typed or pasted in lower case (` p-xr5vmra3hxgs `) is the same ID. Anything else (a record
 * reference, FEED:KEY, whose key may be case-sensitive) is left as typed, trimmed.
 */
export function typedPersonId(text: string): string {
  const trimmed = text.trim();
  return /^p-[a-z0-9-]+$/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}
