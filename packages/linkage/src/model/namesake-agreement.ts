import { DATE_LEVEL } from "../compare/date-comparator.ts";
import { randomInteger } from "../seeded-random.ts";
import { compareRecords } from "./compare-records.ts";
import type { ComparisonPlan, PreparedRecord } from "./prepared-record.ts";
import { fullNameKey } from "./term-frequencies.ts";

/** Fewer namesake pairs than this measure nothing: the fields keep their ordinary u. */
export const MINIMUM_NAMESAKE_PAIRS = 50;
const PAIRS_PER_NAME = 200;

/** Date levels far enough apart that two records are taken for two persons (no noise explains them). */
const DIFFERENT_PERSONS = new Set([DATE_LEVEL.yearOff, DATE_LEVEL.sameYear, DATE_LEVEL.different]);

/**
 * u among namesakes, for the comparisons that follow the name (`followsName`): how often two
 * records sharing a full name exactly, but with birth dates no noise explains (a year or more
 * apart, or different days of one year), agree on each level. Such pairs are different persons
 * who share the name, the very pairs a common name makes: their sex, nationality and country of
 * birth agree nearly as often as a match's do. At most `PAIRS_PER_NAME` pairs per name, so the
 * commonest names do not decide it alone. Returns undefined per comparison when too few pairs.
 */
export function estimateUAmongFullNamesakes(
  plan: ComparisonPlan,
  records: readonly PreparedRecord[],
  random: () => number,
): (number[] | undefined)[] {
  const following = plan.settings.comparisons.flatMap((comparison, k) => (comparison.followsName ? [k] : []));
  const result: (number[] | undefined)[] = plan.comparators.map(() => undefined);
  const dateIndex = plan.comparators.findIndex((comparator) => comparator.kind === "date");
  if (following.length === 0 || plan.swap === undefined || dateIndex === -1) return result;
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    if (record.values[dateIndex] === undefined) return;
    const key = fullNameKey(record.values[plan.swap!.given], record.values[plan.swap!.family]);
    if (key === undefined) return;
    const members = groups.get(key);
    if (members) members.push(index);
    else groups.set(key, [index]);
  });
  const counts = following.map((k) => new Float64Array(plan.comparators[k]!.levels.length));
  const levels = new Uint8Array(plan.comparators.length);
  let pairs = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const all = (members.length * (members.length - 1)) / 2;
    const draws = Math.min(all, PAIRS_PER_NAME);
    for (let draw = 0; draw < draws; draw += 1) {
      let first: number;
      let second: number;
      if (all <= PAIRS_PER_NAME) {
        // Enumerate: draw-th pair of the triangle.
        first = 0;
        let rest = draw;
        while (rest >= members.length - 1 - first) {
          rest -= members.length - 1 - first;
          first += 1;
        }
        second = first + 1 + rest;
      } else {
        first = randomInteger(random, members.length);
        second = randomInteger(random, members.length - 1);
        if (second >= first) second += 1;
      }
      compareRecords(plan, records[members[first]!]!, records[members[second]!]!, levels);
      if (!DIFFERENT_PERSONS.has(levels[dateIndex]!)) continue;
      pairs += 1;
      following.forEach((k, position) => {
        counts[position]![levels[k]!]! += 1;
      });
    }
  }
  if (pairs < MINIMUM_NAMESAKE_PAIRS) return result;
  following.forEach((k, position) => {
    const row = counts[position]!;
    let present = 0;
    for (let level = 1; level < row.length; level += 1) present += row[level]!;
    if (present < MINIMUM_NAMESAKE_PAIRS) return;
    // Half a pseudo-count per level, as for random-pair u; level 0 (missing) is 1.
    const total = present + 0.5 * (row.length - 1);
    result[k] = Array.from(row, (count, level) => (level === 0 ? 1 : (count + 0.5) / total));
  });
  return result;
}
