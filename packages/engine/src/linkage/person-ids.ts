import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A fresh person id, `P-` and 12 Crockford base-32 characters (60 random bits): collisions are
 * negligible, and `assignStableIds` re-draws any id already in use.
 */
export function mintPersonId(): string {
  const bytes = randomBytes(8);
  let value = bytes.readBigUInt64BE(0) >> 4n;
  let text = "";
  for (let index = 0; index < 12; index += 1) {
    text = CROCKFORD[Number(value & 31n)]! + text;
    value >>= 5n;
  }
  return `P-${text}`;
}
