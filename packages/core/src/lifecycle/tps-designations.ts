import { type DayNumber, parseDayNumber } from "./calendar-date.ts";
import type { Grant } from "./protections.ts";
import type { TpsDesignation } from "./tps-designation-table.ts";

/**
 * How long a TPS grant holds (docs/lifecycle-semantics.md §6, §8). A Federal Register extension of
 * a country's designation extends its beneficiaries' TPS with it (INA 244(b)(3)(C)); a beneficiary
 * loses it only when USCIS withdraws it (INA 244(c)(3), 8 CFR 244.14), which the feed records on the
 * receipt, or when the designation ends (INA 244(b)(3)(B)). A termination stops the designation
 * from extending anyone's TPS past the day before it takes effect, but it never cuts a grant short
 * of its own `valid_to`: the table is an operator's transcription of notices (each [verify], and
 * terminations are often stayed by courts), and a wrong entry must never make a protected person
 * removable; USCIS ending a beneficiary's TPS early is recorded on the receipt. So a grant for a
 * designated country holds until the later of its `valid_to` and the end of the designation in
 * force during its validity.
 */

interface CompiledDesignation {
  readonly designation: TpsDesignation;
  readonly fromDay: DayNumber;
  /** The last day TPS holds under it: its latest period's end, or the day before a termination takes effect. */
  readonly lastDay: DayNumber;
  /** The last day it covers, for matching a grant to it: a termination may end a grant early. */
  readonly coversUntilDay: DayNumber;
}

const compiled = new WeakMap<
  readonly TpsDesignation[],
  ReadonlyMap<string, readonly CompiledDesignation[]>
>();

function designationsByCountry(
  designations: readonly TpsDesignation[],
): ReadonlyMap<string, readonly CompiledDesignation[]> {
  let byCountry = compiled.get(designations);
  if (byCountry === undefined) {
    const map = new Map<string, CompiledDesignation[]>();
    for (const designation of designations) {
      const throughDay = Math.max(...designation.periods.map((period) => parseDayNumber(period.through)!));
      const endsDay =
        designation.terminated === null ? null : parseDayNumber(designation.terminated.effective)! - 1;
      const entry: CompiledDesignation = {
        designation,
        fromDay: parseDayNumber(designation.designatedOn)!,
        lastDay: endsDay ?? throughDay,
        coversUntilDay: Math.max(throughDay, endsDay ?? throughDay),
      };
      map.set(designation.country, [...(map.get(designation.country) ?? []), entry]);
    }
    byCountry = map;
    compiled.set(designations, byCountry);
  }
  return byCountry;
}

/** A TPS grant with the last day it holds and the designation that set that day, if one did. */
export interface TpsHold {
  readonly grant: Grant;
  /** The last day the grant holds; null while open-ended. */
  readonly untilDay: DayNumber | null;
  /** The designation that sets `untilDay` in place of the grant's own end (extending it). */
  readonly designation: TpsDesignation | null;
}

const OPEN = Number.POSITIVE_INFINITY;

/**
 * The hold of a TPS grant for a person whose records give these nationalities (TPS is granted to
 * nationals of the designated country): every designation of one of them that was in force during
 * the grant's validity can extend it or, terminated, end it; of several, the latest end counts.
 */
export function tpsHoldOf(
  grant: Grant,
  nationalities: ReadonlySet<string>,
  designations: readonly TpsDesignation[],
): TpsHold {
  const byCountry = designationsByCountry(designations);
  const ownEnd = grant.toDay ?? OPEN;
  let best: { end: number; designation: TpsDesignation } | null = null;
  for (const country of [...nationalities].sort()) {
    for (const entry of byCountry.get(country) ?? []) {
      if (grant.fromDay > entry.coversUntilDay || ownEnd < entry.fromDay) continue;
      const end = Math.max(ownEnd, entry.lastDay);
      if (best === null || end > best.end) best = { end, designation: entry.designation };
    }
  }
  if (best === null || best.end === ownEnd) return { grant, untilDay: grant.toDay, designation: null };
  return {
    grant,
    untilDay: best.end === OPEN ? null : best.end,
    designation: best.designation,
  };
}

/** Whether the grant holds on the day. */
export function tpsHoldsOn(hold: TpsHold, day: DayNumber): boolean {
  return hold.grant.fromDay <= day && (hold.untilDay === null || hold.untilDay >= day);
}

/** The designation as a reader checks it: its country, notices and dates. */
export function describeTpsDesignation(designation: TpsDesignation): string {
  const latest = designation.periods.reduce((left, right) => (right.through > left.through ? right : left));
  const termination =
    designation.terminated === null
      ? ""
      : `; terminated effective ${designation.terminated.effective}, ${designation.terminated.notice}`;
  return `the TPS designation of ${designation.country} (${designation.designatedOn}, ${designation.notice}; through ${latest.through}, ${latest.notice}${termination})`;
}
