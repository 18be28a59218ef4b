import { compareNames, NAME_LEVEL } from "../compare/name-comparator.ts";
import type { StandardName } from "../standardise/standardise-name.ts";
import type { ComparisonPlan, PreparedRecord } from "./prepared-record.ts";

/**
 * Fills `levels` with the comparison level of every field of a pair and returns whether the
 * given and family names were compared crosswise. One function for training, batch and
 * incremental scoring, so a pair gets the same levels on every path.
 *
 * Order swaps: sources write family-name-first names in either order (CBP advises trying both,
 * DOMAIN.md §2.2). When the direct reading agrees poorly and the crossed reading agrees
 * (partial or better on both), the crossed reading is used, counted at most as `variant`.
 *
 * Split differently: a first surname written among the given names ("Glenda González / Jiménez"
 * against "Glenda / González Jiménez"), or a particle moved. When the two records hold the same
 * name tokens in all, only divided otherwise between given and family name, both names count
 * as `variant` (and the pair as read crosswise, so neither name's frequency is taken as exact).
 */
export function compareRecords(
  plan: ComparisonPlan,
  left: PreparedRecord,
  right: PreparedRecord,
  levels: Uint8Array,
): boolean {
  const comparators = plan.comparators;
  const leftValues = left.values;
  const rightValues = right.values;
  for (let index = 0; index < comparators.length; index += 1) {
    const a = leftValues[index];
    const b = rightValues[index];
    levels[index] = a === undefined || b === undefined ? 0 : comparators[index]!.compare(a, b);
  }
  const swap = plan.swap;
  if (swap === undefined) return false;
  const given = levels[swap.given]!;
  const family = levels[swap.family]!;
  if (given === 0 || family === 0) return false;
  if (given <= NAME_LEVEL.variant && family <= NAME_LEVEL.variant) return false;
  const leftGiven = leftValues[swap.given] as StandardName | undefined;
  const leftFamily = leftValues[swap.family] as StandardName | undefined;
  const rightGiven = rightValues[swap.given] as StandardName | undefined;
  const rightFamily = rightValues[swap.family] as StandardName | undefined;
  if (!leftGiven || !leftFamily || !rightGiven || !rightFamily) return false;
  if (sameTokensDividedOtherwise(leftGiven, leftFamily, rightGiven, rightFamily)) {
    levels[swap.given] = NAME_LEVEL.variant;
    levels[swap.family] = NAME_LEVEL.variant;
    return true;
  }
  if (given <= NAME_LEVEL.partial && family <= NAME_LEVEL.partial) return false;
  // Cheap screen first: a crossed reading counts only at partial level or better.
  if (!mayAgreeAsPartial(leftGiven, rightFamily) || !mayAgreeAsPartial(leftFamily, rightGiven)) return false;
  const crossedGiven = compareNames(leftGiven, rightFamily);
  if (crossedGiven > NAME_LEVEL.partial) return false;
  const crossedFamily = compareNames(leftFamily, rightGiven);
  if (crossedFamily > NAME_LEVEL.partial) return false;
  levels[swap.given] = Math.max(crossedGiven, NAME_LEVEL.variant);
  levels[swap.family] = Math.max(crossedFamily, NAME_LEVEL.variant);
  return true;
}

/** Whether two names could compare at partial level or better: they share a canonical token, or a spelling. */
function mayAgreeAsPartial(left: StandardName, right: StandardName): boolean {
  if (left.joined === right.joined || left.joined === right.folded || left.folded === right.joined)
    return true;
  const tokens = left.canonicalList;
  for (let index = 0; index < tokens.length; index += 1)
    if (right.canonicalTokens.has(tokens[index]!)) return true;
  return false;
}

/**
 * Whether two records' given and family names hold the same canonical tokens in all (each side
 * at least two), divided differently between the two names.
 */
export function sameTokensDividedOtherwise(
  leftGiven: StandardName,
  leftFamily: StandardName,
  rightGiven: StandardName,
  rightFamily: StandardName,
): boolean {
  const leftCount = leftGiven.canonicalList.length + leftFamily.canonicalList.length;
  const rightCount = rightGiven.canonicalList.length + rightFamily.canonicalList.length;
  if (leftCount !== rightCount || leftCount < 2) return false;
  // Same division is no re-division: the direct comparison already judged it.
  if (leftGiven.canonical === rightGiven.canonical && leftFamily.canonical === rightFamily.canonical)
    return false;
  const inRight = (token: string) =>
    rightGiven.canonicalTokens.has(token) || rightFamily.canonicalTokens.has(token);
  const inLeft = (token: string) =>
    leftGiven.canonicalTokens.has(token) || leftFamily.canonicalTokens.has(token);
  for (const token of leftGiven.canonicalList) if (!inRight(token)) return false;
  for (const token of leftFamily.canonicalList) if (!inRight(token)) return false;
  for (const token of rightGiven.canonicalList) if (!inLeft(token)) return false;
  for (const token of rightFamily.canonicalList) if (!inLeft(token)) return false;
  return true;
}
