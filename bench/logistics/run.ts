// bench/logistics: 10,000 ready cases x 200 flights planned with HiGHS, gap <= 1 %.
// `npx tsx bench/logistics/run.ts [cases] [flights]` — writes bench/results/logistics.json.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Flight, loadHighsSolver, planTransport, type TransportCase } from "@passage/logistics";
import { createRandom } from "../policy/synthetic-cases.ts";

const root = path.resolve(import.meta.dirname, "../..");
const caseCount = Number(process.argv[2] ?? 10_000);
const flightCount = Number(process.argv[3] ?? 200);
const TARGET_SECONDS = 30;
const TARGET_GAP = 0.01;
const HUBS = ["MESA", "SAN_ANTONIO", "ALEXANDRIA", "MIAMI"];
const COUNTRIES = [
  "GTM",
  "HND",
  "SLV",
  "MEX",
  "COL",
  "ECU",
  "DOM",
  "HTI",
  "NIC",
  "PER",
  "BRA",
  "VEN",
  "JAM",
  "IND",
  "CHN",
];
const HORIZON = { from: "2025-07-01", to: "2025-07-30" };

const random = createRandom(5);
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const dayOf = (offset: number) => {
  const date = new Date(Date.UTC(2025, 6, 1 + offset));
  return date.toISOString().slice(0, 10);
};
// Demand is skewed towards a few countries, as removals are.
const weightedCountry = () =>
  COUNTRIES[Math.min(COUNTRIES.length - 1, Math.floor(COUNTRIES.length * random() ** 1.6))]!;

const flights: Flight[] = Array.from({ length: flightCount }, (_, index) => {
  const seats = 60 + Math.floor(random() * 76); // up to 135 seats (DOMAIN.md §5)
  return {
    flightId: `FL${String(index).padStart(4, "0")}`,
    date: dayOf(Math.floor(random() * 30)),
    originHub: pick(HUBS),
    destinationCountry: weightedCountry(),
    destinationPort: null,
    seats,
    cost: 20_000 + Math.round(random() * 130_000),
  };
});
const cases: TransportCase[] = Array.from({ length: caseCount }, (_, index) => {
  const country = weightedCountry();
  const ready = Math.floor(random() * 24);
  return {
    personId: `C${index}`,
    gateCheck: { clear: true, results: [] },
    finalOrder: true,
    inCustody: true,
    hub: pick(HUBS),
    facility: null,
    readyDate: dayOf(ready),
    destinationCountry: country,
    withholdingCountries: random() < 0.02 ? [pick(COUNTRIES.filter((other) => other !== country))] : [],
    travelDocument: {
      country,
      status: "issued",
      validTo: random() < 0.3 ? null : dayOf(ready + 5 + Math.floor(random() * 40)),
    },
  };
});

const solver = await loadHighsSolver();
const started = performance.now();
const plan = await planTransport(
  { horizon: HORIZON, flights, cases, options: { acceptanceCaps: { MEX: 120 } } },
  solver,
);
const seconds = (performance.now() - started) / 1000;
const placed = plan.manifests.reduce((sum, manifest) => sum + manifest.passengers.length, 0);
const report = {
  benchmark: "logistics",
  cases: caseCount,
  flights: flightCount,
  targetSeconds: TARGET_SECONDS,
  targetGap: TARGET_GAP,
  seconds,
  withinTarget: seconds <= TARGET_SECONDS && plan.solver.gap <= TARGET_GAP,
  solver: plan.solver,
  placed,
  unplaced: plan.unplaced.length,
  unplacedByReason: Object.fromEntries(
    [...new Set(plan.unplaced.map((entry) => entry.reason))].map((reason) => [
      reason,
      plan.unplaced.filter((entry) => entry.reason === reason).length,
    ]),
  ),
  excluded: plan.excluded.length,
  flightsUsed: plan.manifests.length,
  cost: plan.cost,
  machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown" },
  measuredAt: new Date().toISOString(),
};
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/logistics.json"), `${JSON.stringify(report, null, 2)}\n`);
console.error(
  `${caseCount} cases x ${flightCount} flights: ${seconds.toFixed(2)} s, solver ${plan.solver.status}, gap ${(plan.solver.gap * 100).toFixed(3)} %, ` +
    `${plan.solver.groups} groups, ${plan.solver.columns} columns, ${plan.solver.rows} rows; placed ${placed}, unplaced ${plan.unplaced.length}, ` +
    `flights used ${plan.manifests.length}, total cost ${plan.cost.total.toFixed(0)}`,
);
console.log(
  JSON.stringify({ seconds: Number(seconds.toFixed(3)), status: plan.solver.status, gap: plan.solver.gap }),
);
