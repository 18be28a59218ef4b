import { LogisticsErrors } from "./logistics-errors.ts";
import type { PlanOptions, TransportInput } from "./transport-input.ts";

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Checks the planner's input, naming the first problem found. */
export function validateTransportInputOrThrow(input: TransportInput, options: PlanOptions): void {
  const fail = (what: string): never => {
    throw LogisticsErrors.invalidInput.create(what);
  };
  const date = (value: unknown, what: string) => {
    if (typeof value !== "string" || !DATE.test(value)) fail(`${what} is not a YYYY-MM-DD date`);
  };
  date(input.horizon?.from, "horizon.from");
  date(input.horizon.to, "horizon.to");
  if (input.horizon.to < input.horizon.from) fail("horizon.to is before horizon.from");
  const flightIds = new Set<string>();
  for (const flight of input.flights) {
    if (typeof flight.flightId !== "string" || flight.flightId === "") fail("a flight has no flight_id");
    if (flightIds.has(flight.flightId)) fail(`flight ${flight.flightId} appears twice`);
    flightIds.add(flight.flightId);
    date(flight.date, `flight ${flight.flightId} date`);
    if (!Number.isInteger(flight.seats) || flight.seats < 0)
      fail(`flight ${flight.flightId} seats must be a whole number`);
    if (!Number.isFinite(flight.cost) || flight.cost < 0) fail(`flight ${flight.flightId} cost must be >= 0`);
    if (flight.seatsHeld !== undefined && (!Number.isInteger(flight.seatsHeld) || flight.seatsHeld < 0))
      fail(`flight ${flight.flightId} seatsHeld must be a whole number >= 0`);
  }
  const personIds = new Set<string>();
  for (const transportCase of input.cases) {
    if (personIds.has(transportCase.personId)) fail(`person ${transportCase.personId} appears twice`);
    personIds.add(transportCase.personId);
    date(transportCase.readyDate, `person ${transportCase.personId} readyDate`);
    if (!Array.isArray(transportCase.gateCheck?.results))
      fail(`person ${transportCase.personId} has no gate results`);
    if (!Array.isArray(transportCase.withholdingCountries)) {
      fail(`person ${transportCase.personId} withholdingCountries must be a list`);
    }
    const validTo = transportCase.travelDocument?.validTo;
    if (validTo !== undefined && validTo !== null)
      date(validTo, `person ${transportCase.personId} document validTo`);
  }
  for (const [name, value] of [
    ["detentionDayCost", options.detentionDayCost],
    ["carryOverCost", options.carryOverCost],
    ["mipRelativeGap", options.mipRelativeGap],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) fail(`option ${name} must be a number >= 0`);
  }
  if (!(options.timeLimitSeconds > 0)) fail("option timeLimitSeconds must be > 0");
  for (const [country, cap] of Object.entries(options.acceptanceCaps)) {
    if (!Number.isInteger(cap) || cap < 0) fail(`acceptance cap for ${country} must be a whole number >= 0`);
  }
}
