import { type DepartureMetrics, EVIDENCE_TIERS } from "../../api/departure-api.ts";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Counts per slot (an hour or a day) and evidence tier, every slot of the range present (zeros included). */
export interface TierSeries {
  readonly slots: readonly string[];
  readonly counts: Readonly<Record<(typeof EVIDENCE_TIERS)[number], readonly number[]>>;
}

function byTier(
  slots: readonly string[],
  rows: readonly { slot: string; tier: string; count: number }[],
): TierSeries {
  const index = new Map(slots.map((slot, position) => [slot, position]));
  const counts = { verified: slots.map(() => 0), claimed: slots.map(() => 0) };
  for (const row of rows) {
    const position = index.get(row.slot);
    const tier = row.tier === "claimed" ? "claimed" : "verified";
    if (position !== undefined) counts[tier][position]! += row.count;
  }
  return { slots, counts };
}

/** Confirmations per hour (UTC) over the stream's window, by tier. */
export function hourlySeries(metrics: DepartureMetrics): TierSeries {
  const until = Date.parse(metrics.hours.until);
  const first = Math.floor(Date.parse(metrics.hours.since) / HOUR_MS) * HOUR_MS;
  const slots: string[] = [];
  for (let hour = first; hour <= until; hour += HOUR_MS) slots.push(new Date(hour).toISOString());
  return byTier(
    slots,
    metrics.confirmationsPerHour.map((row) => ({ slot: new Date(row.hour).toISOString(), ...row })),
  );
}

/** Departures per departure date over `from`..`to`, by tier (evidence kinds summed). */
export function dailySeries(metrics: DepartureMetrics): TierSeries {
  const slots: string[] = [];
  for (let day = Date.parse(`${metrics.from}T00:00:00Z`); day <= Date.parse(`${metrics.to}T00:00:00Z`); ) {
    slots.push(new Date(day).toISOString().slice(0, 10));
    day += DAY_MS;
  }
  return byTier(
    slots,
    metrics.perDay.map((row) => ({ slot: row.date, tier: row.tier, count: row.count })),
  );
}

/** The sum of a series, over both tiers or one. */
export function totalOf(series: TierSeries, tier?: (typeof EVIDENCE_TIERS)[number]): number {
  const tiers: readonly (typeof EVIDENCE_TIERS)[number][] = tier ? [tier] : EVIDENCE_TIERS;
  let total = 0;
  for (const one of tiers) for (const count of series.counts[one]) total += count;
  return total;
}

/** `2026-11-22T20:00:00.000Z` -> `22 Nov 20:00` (UTC). */
export function hourLabel(slot: string): string {
  const date = new Date(slot);
  const month = date.toLocaleString("en-GB", { month: "short", timeZone: "UTC" });
  return `${date.getUTCDate()} ${month} ${String(date.getUTCHours()).padStart(2, "0")}:00`;
}
