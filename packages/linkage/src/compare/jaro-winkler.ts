// Reused match-flag buffers: similarity runs millions of times in a batch, and allocating two
// arrays per call would dominate its cost.
let leftFlags = new Uint8Array(64);
let rightFlags = new Uint8Array(64);

/** Jaro similarity in [0, 1]: 1 for equal strings, 0 when no characters match. */
export function jaroSimilarity(left: string, right: string): number {
  if (left === right) return 1;
  const leftLength = left.length;
  const rightLength = right.length;
  if (leftLength === 0 || rightLength === 0) return 0;
  if (leftLength > leftFlags.length) leftFlags = new Uint8Array(leftLength * 2);
  if (rightLength > rightFlags.length) rightFlags = new Uint8Array(rightLength * 2);
  leftFlags.fill(0, 0, leftLength);
  rightFlags.fill(0, 0, rightLength);
  const window = Math.max(0, (Math.max(leftLength, rightLength) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < leftLength; i += 1) {
    const code = left.charCodeAt(i);
    const start = i > window ? i - window : 0;
    const end = Math.min(i + window + 1, rightLength);
    for (let j = start; j < end; j += 1) {
      if (rightFlags[j] === 0 && right.charCodeAt(j) === code) {
        leftFlags[i] = 1;
        rightFlags[j] = 1;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < leftLength; i += 1) {
    if (leftFlags[i] === 0) continue;
    while (rightFlags[k] === 0) k += 1;
    if (left.charCodeAt(i) !== right.charCodeAt(k)) transpositions += 1;
    k += 1;
  }
  return (matches / leftLength + matches / rightLength + (matches - transpositions / 2) / matches) / 3;
}

/**
 * Jaro-Winkler similarity in [0, 1] (Winkler 1990): Jaro plus a bonus of 0.1 per agreeing
 * leading character, up to four, so typos late in a name cost less than early ones.
 */
export function jaroWinklerSimilarity(left: string, right: string): number {
  const jaro = jaroSimilarity(left, right);
  if (jaro === 1 || jaro === 0) return jaro;
  const limit = Math.min(4, left.length, right.length);
  let prefix = 0;
  while (prefix < limit && left.charCodeAt(prefix) === right.charCodeAt(prefix)) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** A 32-bit mask of the character codes a string holds (folded by code modulo 32). */
export function characterMask(text: string): number {
  let mask = 0;
  for (let index = 0; index < text.length; index += 1) mask |= 1 << (text.charCodeAt(index) & 31);
  return mask;
}

/**
 * An upper bound of the Jaro-Winkler similarity, in time linear in the lengths and with no
 * window search: characters of one string absent from the other cannot match. Lets the hot
 * path skip the full computation for names that cannot reach a threshold.
 */
export function jaroWinklerUpperBound(
  left: string,
  right: string,
  leftMask: number,
  rightMask: number,
): number {
  if (left === right) return 1;
  const leftLength = left.length;
  const rightLength = right.length;
  if (leftLength === 0 || rightLength === 0) return 0;
  let leftPossible = 0;
  for (let index = 0; index < leftLength; index += 1) {
    if (rightMask & (1 << (left.charCodeAt(index) & 31))) leftPossible += 1;
  }
  let rightPossible = 0;
  for (let index = 0; index < rightLength; index += 1) {
    if (leftMask & (1 << (right.charCodeAt(index) & 31))) rightPossible += 1;
  }
  const matches = Math.min(leftPossible, rightPossible);
  if (matches === 0) return 0;
  const jaro = (matches / leftLength + matches / rightLength + 1) / 3;
  const limit = Math.min(4, leftLength, rightLength);
  let prefix = 0;
  while (prefix < limit && left.charCodeAt(prefix) === right.charCodeAt(prefix)) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}
