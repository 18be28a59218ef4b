import type { CaseFacts, GateInput, RecordCitation } from "@passage/policy";

/** Deterministic PRNG (mulberry32), so every run evaluates the same population. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const OFFENSES = [
  "HOMICIDE",
  "ROBBERY",
  "AGG_ASSAULT",
  "BURGLARY",
  "THEFT",
  "FRAUD",
  "DRUG_TRAFFICKING",
  "DRUG_POSSESSION",
  "WEAPONS",
  "DUI",
  "TRAFFIC",
  "OTHER",
];
const GATE_BLOCKERS = ["STAY_GRANTED", "APPEAL_PENDING", "USC", "TPS", "ORDER_NOT_FINAL"];

/** `-MM-DD` for month 1-12 and day 1-28, by (month - 1) * 28 + day - 1. */
const MONTH_DAYS = Array.from(
  { length: 12 * 28 },
  (_, index) =>
    `-${String(Math.floor(index / 28) + 1).padStart(2, "0")}-${String((index % 28) + 1).padStart(2, "0")}`,
);

function date(random: () => number, fromYear: number, toYear: number): string {
  const year = fromYear + Math.floor(random() * (toYear - fromYear + 1));
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  // One concatenation (a fresh flat string per date, as parsed records give) instead of five
  // intermediate strings: generation garbage makes young collections in the timed loop.
  return String(year) + MONTH_DAYS[(month - 1) * 28 + day - 1]!;
}

/** One record citation (a module-level function: under tsx a named closure costs a defineProperty per call). */
function cite(
  index: number,
  feed: "court" | "conviction" | "admission" | "encounter" | "benefit",
  key: string,
): RecordCitation[] {
  return [{ feed, recordKey: `${key}-${index}`, version: 1 }];
}

/** One synthetic person: facts of every kind the allowlist has, and a gate input (about 20 % gated). */
export function syntheticCase(
  random: () => number,
  index: number,
): { caseFacts: CaseFacts; gateInput: GateInput } {
  const personId = `S${index}`;
  const convictions = Array.from({ length: random() < 0.6 ? 0 : 1 + Math.floor(random() * 3) }, (_, n) => ({
    offenseCode: OFFENSES[Math.floor(random() * OFFENSES.length)]!,
    offenseLevel: random() < 0.4 ? ("felony" as const) : ("misdemeanor" as const),
    aggravatedFelony: random() < 0.1,
    disposition: random() < 0.9 ? ("convicted" as const) : ("vacated" as const),
    date: date(random, 1995, 2024),
    sentenceDays: random() < 0.5 ? Math.floor(random() * 2000) : null,
    evidence: cite(index, "conviction", `D${n}`),
  }));
  const withoutInspection = random() < 0.4;
  const caseFacts: CaseFacts = {
    personId,
    asOf: "2025-06-01",
    order: {
      type: random() < 0.85 ? "removal" : "voluntary_departure_alternate",
      date: date(random, 2015, 2024),
      final: true,
      finalDate: date(random, 2015, 2025),
      inAbsentia: random() < 0.2,
      evidence: cite(index, "court", "CE"),
    },
    voluntaryDeparture:
      random() < 0.1
        ? { deadline: "2024-01-01", failedToDepart: true, evidence: cite(index, "court", "VD") }
        : null,
    convictions,
    entry: {
      kind: withoutInspection ? "without_inspection" : "admitted",
      date: date(random, 1990, 2025),
      reentryAfterRemoval: random() < 0.05,
      evidence: cite(index, withoutInspection ? "encounter" : "admission", "EN"),
    },
    encounters:
      random() < 0.3
        ? [
            {
              type: "border_apprehension",
              date: date(random, 2018, 2025),
              evidence: cite(index, "encounter", "E"),
            },
          ]
        : [],
    dateOfBirth: { date: date(random, 1940, 2010), evidence: cite(index, "admission", "EN") },
    benefits: random() < 0.1 ? [{ type: "TPS", status: "ended", evidence: cite(index, "benefit", "B") }] : [],
    stays: [],
    policyBlockers:
      random() < 0.03 ? [{ code: "VICTIM_PROTECTION", evidence: cite(index, "benefit", "V") }] : [],
    nationalSecurityConcern: random() < 0.001 ? { evidence: cite(index, "court", "NS") } : null,
  };
  const gated = random() < 0.2;
  const gateInput: GateInput = {
    personId,
    asOf: "2025-06-01",
    status: { primaryState: "FINAL_ORDER", evidence: cite(index, "court", "CE") },
    blockers: gated
      ? [
          {
            code: GATE_BLOCKERS[Math.floor(random() * GATE_BLOCKERS.length)]!,
            binding: "law",
            evidence: cite(index, "court", "BL"),
          },
        ]
      : [],
    identity: { reviewBandLinks: [], conflictingIdentifiers: [], unlinkedRecords: [], outdatedMustLinks: [] },
    order: {
      inAbsentia: false,
      noticeServed: "Y",
      destinationCountry: "GTM",
      evidence: cite(index, "court", "CE"),
    },
    withholdingCountries: [],
  };
  return { caseFacts, gateInput };
}
