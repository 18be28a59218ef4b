import { apiUrl } from "./api-client.ts";

/** How many departures, and how long they took: a count with a median and 90th percentile (days). */
export interface DurationSummary {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

/** `GET /api/v1/departures/metrics`: aggregate departure figures (no person, no name, no place). */
export interface DepartureMetrics {
  readonly generatedAt: string;
  /** Departures dated `from`..`to` (inclusive) are counted per day. */
  readonly from: string;
  readonly to: string;
  readonly hours: { readonly since: string; readonly until: string };
  /** Current departures by the hour (UTC) their record was reported, by evidence tier. */
  readonly confirmationsPerHour: readonly { hour: string; tier: string; count: number }[];
  readonly perDay: readonly { date: string; tier: string; evidenceKind: string; count: number }[];
  readonly claimedNeverCorroborated: number;
  readonly claimedCorroborated: number;
  readonly daysToDeparture: {
    readonly fromFinalOrder: DurationSummary;
    readonly fromVoluntaryDepartureGrant: DurationSummary;
  };
  /** Suspected overstays: an analytic flag, never a legal finding. */
  readonly overstays: {
    readonly inCountry: number;
    /** Left after the authorised period, by a government record. */
    readonly outOfCountry: number;
    /** A self-report only, no government record corroborating it: the stay is taken to go on. */
    readonly departureClaimed: number;
  };
}

/**
 * Where the live document is streamed (server-sent events, `event: metrics`). EventSource cannot
 * send the purpose header, so the stated purpose goes in the query, where the server's audit of
 * the stream reads it.
 */
export function departureStreamUrl(purpose: string): string {
  return apiUrl("/departures/stream", { purpose });
}

/** Evidence tiers, in the order the charts stack them. */
export const EVIDENCE_TIERS = ["verified", "claimed"] as const;
