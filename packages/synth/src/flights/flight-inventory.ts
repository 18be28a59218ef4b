import { isoDate } from "../calendar/day-number.ts";
import {
  type FlightRegion,
  NATIONALITY_PROFILES,
  type NationalityProfile,
} from "../names/nationality-profiles.ts";
import { type PopulationPlan, STREAMS, WeightedTable } from "../population-plan.ts";
import { digits } from "../random/identifier-permutation.ts";
import { streamRandom } from "../random/seeded-random.ts";
import type { SourceRow } from "../records/record-draft.ts";

/** Hours of one leg from the Gulf-coast hubs, by region (charters bill both legs). */
const FLIGHT_HOURS: Readonly<Record<FlightRegion, number>> = {
  mexico: 2.2,
  central_america: 3,
  caribbean: 3.2,
  south_america: 6.5,
  north_america: 3.5,
  europe: 10,
  west_africa: 12,
  central_africa: 13,
  east_africa: 16,
  middle_east: 14,
  south_asia: 17,
  central_asia: 15,
  east_asia: 15,
  southeast_asia: 18,
  oceania: 17,
};

/** Hubs that fly each kind of route (ICE Air Operations, DOMAIN.md §5). */
function hubsFor(region: FlightRegion): readonly string[] {
  if (region === "mexico" || region === "central_america") return ["SAT", "BRO", "HRL", "ELP", "IWA", "AEX"];
  if (region === "caribbean") return ["MIA", "AEX"];
  return ["AEX", "IWA", "MIA", "SAT"];
}

const MEXICAN_AIRPORTS = ["MEX", "GDL", "MTY", "VSA", "TAM", "MID", "OAX"];
/** Average charter cost per flight hour, 2010-2014 (OIG-15-57). */
const COST_PER_FLIGHT_HOUR = 8_419;
/** The inventory spans half a year of flown missions and three months of scheduled ones. */
const DAYS_BEFORE = 180;
const DAYS_AFTER = 89;

/**
 * The removal-flight inventory: missions by date, hub, destination country, seats and cost.
 * Destinations follow where removals go; long-haul flights are larger aircraft and cost more.
 * Not about any person; generated day by day so any size streams.
 */
export function* flightInventory(plan: PopulationPlan): Generator<SourceRow> {
  const random = streamRandom(plan.seed, STREAMS.flights, 0);
  const destinations = new WeightedTable<NationalityProfile>(
    NATIONALITY_PROFILES.map((profile) => [profile, profile.removalWeight] as const),
  );
  const total = plan.options.flights;
  const days = DAYS_BEFORE + DAYS_AFTER + 1;
  for (let offset = 0; offset < days; offset++) {
    const day = plan.asOf - DAYS_BEFORE + offset;
    // Spread evenly over the span (a few flights a month for a small population, some of them
    // still ahead of asOf for transport planning), not crowded into its first days.
    const count = Math.floor(((offset + 1) * total) / days) - Math.floor((offset * total) / days);
    for (let sequence = 1; sequence <= count; sequence++) {
      const destination = destinations.at(random.next());
      const longHaul = FLIGHT_HOURS[destination.region] >= 8;
      const hub = random.pick(hubsFor(destination.region));
      const hours = FLIGHT_HOURS[destination.region] * (0.9 + random.next() * 0.25);
      const cost = 2 * hours * COST_PER_FLIGHT_HOUR * (0.9 + random.next() * 0.25);
      const port = destination.code === "MEX" ? random.pick(MEXICAN_AIRPORTS) : destination.airport;
      const seats = String(longHaul ? random.pick([150, 180, 200, 220]) : random.pick([100, 116, 125, 135]));
      yield {
        flight_id: `IAO${isoDate(day).replaceAll("-", "")}-${digits(sequence, 3)}`,
        date: isoDate(day),
        origin_hub: hub,
        destination_country: destination.code,
        destination_port: random.chance(0.95) ? port : "",
        seats,
        cost: cost.toFixed(2),
      };
    }
  }
}
