// Three reused rows of the dynamic programme (two back, one back, current).
let rowTwoBack = new Int32Array(64);
let rowOneBack = new Int32Array(64);
let rowCurrent = new Int32Array(64);

/**
 * Damerau-Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and transpositions of adjacent characters each cost 1, no substring edited
 * twice. This is the form record-linkage systems use for typos (ADIS, DOMAIN.md §2.2).
 * With `maximum` given, stops early and returns `maximum + 1` once the distance must exceed it.
 */
export function damerauLevenshteinDistance(left: string, right: string, maximum = Infinity): number {
  if (left === right) return 0;
  let leftLength = left.length;
  let rightLength = right.length;
  if (Math.abs(leftLength - rightLength) > maximum) return maximum + 1;
  // Common prefix and suffix cost nothing and shrink the table.
  let start = 0;
  while (start < leftLength && start < rightLength && left.charCodeAt(start) === right.charCodeAt(start)) {
    start += 1;
  }
  while (
    leftLength > start &&
    rightLength > start &&
    left.charCodeAt(leftLength - 1) === right.charCodeAt(rightLength - 1)
  ) {
    leftLength -= 1;
    rightLength -= 1;
  }
  // A transposition across the trimmed boundary must stay visible: back off one character.
  if (start > 0) start -= 1;
  const a = left.slice(start, Math.min(left.length, leftLength + 1));
  const b = right.slice(start, Math.min(right.length, rightLength + 1));
  return alignmentDistance(a, b, maximum);
}

function alignmentDistance(a: string, b: string, maximum: number): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  if (m + 1 > rowCurrent.length) {
    rowTwoBack = new Int32Array((m + 1) * 2);
    rowOneBack = new Int32Array((m + 1) * 2);
    rowCurrent = new Int32Array((m + 1) * 2);
  }
  for (let j = 0; j <= m; j += 1) rowOneBack[j] = j;
  for (let i = 1; i <= n; i += 1) {
    rowCurrent[0] = i;
    let rowMinimum = i;
    const aCode = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j += 1) {
      const bCode = b.charCodeAt(j - 1);
      const cost = aCode === bCode ? 0 : 1;
      let value = Math.min(rowOneBack[j]! + 1, rowCurrent[j - 1]! + 1, rowOneBack[j - 1]! + cost);
      if (i > 1 && j > 1 && aCode === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bCode) {
        value = Math.min(value, rowTwoBack[j - 2]! + 1);
      }
      rowCurrent[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > maximum) return maximum + 1;
    const recycled = rowTwoBack;
    rowTwoBack = rowOneBack;
    rowOneBack = rowCurrent;
    rowCurrent = recycled;
  }
  return Math.min(rowOneBack[m]!, maximum + 1);
}
