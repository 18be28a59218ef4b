import type { CaseGroup } from "./group-cases.ts";
import type { MixedIntegerProgram } from "./highs-solver.ts";
import type { Flight, IsoDate, PlanOptions } from "./transport-input.ts";

/** Which MIP column means what. */
export interface TransportModel {
  readonly program: MixedIntegerProgram;
  /** Flights that some group can take, with the column of their "used" variable. */
  readonly flightColumns: ReadonlyMap<string, { flight: Flight; column: number; capacity: number }>;
  /** Per group: the unplaced-count column and the (flight, column) assignment columns. */
  readonly groupColumns: readonly {
    group: CaseGroup;
    unplaced: number;
    assignments: { flightId: string; column: number }[];
  }[];
}

const DAY = 86_400_000;
export const dayNumber = (date: IsoDate) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);

/**
 * A flight's capacity for the plan: its seats, or the destination's acceptance cap if lower, less
 * the seats other frozen manifests already hold on it (never below zero).
 */
export function flightCapacity(flight: Flight, options: PlanOptions): number {
  const cap = options.acceptanceCaps[flight.destinationCountry];
  const usable = cap === undefined ? flight.seats : Math.min(flight.seats, cap);
  return Math.max(0, usable - (flight.seatsHeld ?? 0));
}

/**
 * The formulation: for each group g and eligible flight f an integer count x[g,f]; for each
 * group an integer unplaced count u[g]; for each flight a binary y[f] (used). Minimise
 *   sum_f cost_f y_f + sum_{g,f} c_day (date_f - ready_i) x[g,f] + sum_g (c_day (end + 1 - ready_i) + c_carry) u[g]
 * subject to sum_f x[g,f] + u[g] = n_g, sum_g x[g,f] <= capacity_f y_f, and x[g,f] <= min(n_g, capacity_f) y_f
 * (the last is implied but tightens the relaxation). The ready-date terms are constants per case,
 * moved to the objective's offset with the cost of cases no flight can take, so the reported
 * objective is the plan's exact total cost.
 */
export function buildTransportModel(
  groups: readonly CaseGroup[],
  withoutFlight: readonly { readyDate: IsoDate }[],
  horizonEnd: IsoDate,
  options: PlanOptions,
): TransportModel {
  const columnCost: number[] = [];
  const columnLower: number[] = [];
  const columnUpper: number[] = [];
  const integer: boolean[] = [];
  const addColumn = (cost: number, upper: number) => {
    columnCost.push(cost);
    columnLower.push(0);
    columnUpper.push(upper);
    integer.push(true);
    return columnCost.length - 1;
  };
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const rowStarts: number[] = [0];
  const rowColumns: number[] = [];
  const rowValues: number[] = [];
  const addRow = (lower: number, upper: number, entries: readonly [number, number][]) => {
    for (const [column, value] of entries) {
      rowColumns.push(column);
      rowValues.push(value);
    }
    rowLower.push(lower);
    rowUpper.push(upper);
    rowStarts.push(rowColumns.length);
  };
  const dayCost = options.detentionDayCost;
  const endDay = dayNumber(horizonEnd) + 1;
  const flightColumns = new Map<string, { flight: Flight; column: number; capacity: number }>();
  const loads = new Map<string, [number, number][]>();
  // Cases with no eligible flight cost the same whatever the solver does: part of the offset.
  let offset = 0;
  for (const transportCase of withoutFlight) {
    offset += dayCost * (endDay - dayNumber(transportCase.readyDate)) + options.carryOverCost;
  }
  const groupColumns = groups.map((group) => {
    const count = group.cases.length;
    for (const transportCase of group.cases) offset -= dayCost * dayNumber(transportCase.readyDate);
    const unplaced = addColumn(dayCost * endDay + options.carryOverCost, count);
    const assignments: { flightId: string; column: number }[] = [];
    for (let position = group.first; position <= group.last; position++) {
      const flight = group.lane.flights[position]!;
      let used = flightColumns.get(flight.flightId);
      if (used === undefined) {
        used = { flight, column: addColumn(flight.cost, 1), capacity: flightCapacity(flight, options) };
        flightColumns.set(flight.flightId, used);
      }
      const upper = Math.min(count, used.capacity);
      const column = addColumn(dayCost * dayNumber(flight.date), upper);
      assignments.push({ flightId: flight.flightId, column });
      if (upper > 0)
        addRow(Number.NEGATIVE_INFINITY, 0, [
          [column, 1],
          [used.column, -upper],
        ]);
      const load = loads.get(flight.flightId) ?? [];
      load.push([column, 1]);
      loads.set(flight.flightId, load);
    }
    addRow(count, count, [[unplaced, 1], ...assignments.map(({ column }): [number, number] => [column, 1])]);
    return { group, unplaced, assignments };
  });
  for (const [flightId, load] of loads) {
    const used = flightColumns.get(flightId)!;
    addRow(Number.NEGATIVE_INFINITY, 0, [...load, [used.column, -used.capacity]]);
  }
  return {
    program: {
      columnCost,
      columnLower,
      columnUpper,
      integer,
      offset,
      rowLower,
      rowUpper,
      rowStarts,
      rowColumns,
      rowValues,
    },
    flightColumns,
    groupColumns,
  };
}
