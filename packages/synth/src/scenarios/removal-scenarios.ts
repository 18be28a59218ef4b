import type { DayNumber } from "../calendar/day-number.ts";
import {
  type FinalOrder,
  inAbsentiaOrder,
  maybeDetainedAfter,
  overstayedVisitor,
  unappealedOrder,
} from "./life-events.ts";
import { type Scenario, scenario } from "./scenario.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

const ENFORCEMENT = { maleShare: 0.78 };

/** A final order at least `minDaysAgo` old: not appealed, or in absentia with notice served. */
function finalOrder(kit: ScenarioKit, minDaysAgo: number, maxDaysAgo = 2000): FinalOrder {
  if (kit.random.chance(0.65)) return unappealedOrder(kit, { minDaysAgo: minDaysAgo + 40, maxDaysAgo });
  return inAbsentiaOrder(kit, "Y", minDaysAgo, maxDaysAgo);
}

/** The travel-document country: the order's destination, else the nationality. */
function documentCountry(kit: ScenarioKit, order: FinalOrder): string {
  return order.destination ?? kit.identity.nationality.code;
}

/** A travel document requested after the order became final, and issued later for some. */
function requestTravelDocument(kit: ScenarioKit, order: FinalOrder, from: DayNumber): void {
  const requested = kit.random.between(from, kit.asOf);
  const events: { status: "requested" | "issued"; day: DayNumber; validTo?: DayNumber }[] = [
    { status: "requested", day: requested },
  ];
  if (requested < kit.asOf - 5 && kit.random.chance(0.5)) {
    const issued = kit.random.between(requested + 5, kit.asOf);
    events.push({
      status: "issued",
      day: issued,
      validTo: Math.max(issued + 90, kit.asOf + kit.random.between(1, 60)),
    });
  }
  kit.travelDocument(documentCountry(kit, order), events);
}

/** Removals under way or done, custody after an order, third countries, and self-reported departures. */
export const REMOVAL_SCENARIOS: readonly Scenario[] = [
  scenario(
    "removal_in_progress",
    1.2,
    (kit) => {
      const order = finalOrder(kit, 10);
      if (kit.random.chance(0.6)) kit.custody(kit.random.between(order.finalDay + 1, kit.asOf), null);
      requestTravelDocument(kit, order, order.finalDay + 1);
      kit.truth.set("REMOVAL_IN_PROGRESS");
    },
    ENFORCEMENT,
  ),
  scenario(
    "travel_document_refused",
    0.3,
    (kit) => {
      const order = finalOrder(kit, 200);
      const requested = kit.random.between(order.finalDay + 1, kit.asOf - 150);
      const country = documentCountry(kit, order);
      if (kit.random.chance(0.7)) {
        kit.travelDocument(country, [
          { status: "requested", day: requested },
          { status: "refused", day: requested + kit.random.between(20, 120) },
        ]);
      } else {
        const issued = requested + kit.random.between(10, 60);
        kit.travelDocument(country, [
          { status: "requested", day: requested },
          { status: "issued", day: issued, validTo: issued + 30 },
          { status: "expired", day: issued + 31 },
        ]);
      }
      // Non-acceptance and Zadvydas v. Davis lead to release on an order of supervision.
      if (kit.random.chance(0.5))
        kit.custody(requested - kit.random.between(0, 30), { day: requested + 140, reason: "osup" });
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "removal_executed",
    2,
    (kit) => {
      const order = finalOrder(kit, 30, 2500);
      const removed = kit.random.between(order.finalDay + 14, kit.asOf);
      const bookIn = kit.random.between(order.finalDay + 1, removed - 7);
      const requested = kit.random.between(bookIn, removed - 5);
      kit.travelDocument(documentCountry(kit, order), [
        { status: "requested", day: requested },
        { status: "issued", day: kit.random.between(requested + 1, removed), validTo: removed + 60 },
      ]);
      kit.custody(bookIn, { day: removed, reason: "removed" });
      const land = kit.identity.nationality.code === "MEX" && kit.random.chance(0.7);
      kit.depart(removed, "removal_executed", land ? "land" : "air");
      kit.truth.set("DEPARTED");
    },
    ENFORCEMENT,
  ),
  scenario(
    "released_osup",
    1,
    (kit) => {
      const order = finalOrder(kit, 120, 2500);
      const bookIn = kit.random.between(order.finalDay + 1, kit.asOf - 100);
      kit.custody(bookIn, {
        day: kit.random.between(bookIn + 30, Math.min(bookIn + 200, kit.asOf)),
        reason: "osup",
      });
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "detained_final_order",
    0.8,
    (kit) => {
      const order = finalOrder(kit, 5);
      maybeDetainedAfter(kit, order.finalDay, 1);
      if (!kit.truth.openBooking) kit.custody(kit.asOf, null);
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "third_country_removal",
    0.3,
    (kit) => {
      unappealedOrder(kit, { destination: kit.otherCountry() });
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "third_country_screened",
    0.2,
    (kit) => {
      const order = unappealedOrder(kit, { minDaysAgo: 100, destination: kit.otherCountry() });
      order.court.event("hearing", kit.random.between(order.finalDay, kit.asOf), {
        destination_country: order.destination!,
      });
      kit.truth.finalOrder!.thirdCountryScreened = true;
      kit.truth.set("FINAL_ORDER");
    },
    ENFORCEMENT,
  ),
  scenario(
    "self_departure_corroborated",
    0.8,
    (kit) => {
      let from: DayNumber;
      if (kit.random.chance(0.5)) {
        from = unappealedOrder(kit, { minDaysAgo: 120, maxDaysAgo: 2000, withoutInspection: true }).finalDay;
      } else {
        from = kit.daysAgo(400, 4000);
        kit.enterWithoutInspection(from);
        from += 30;
      }
      const claimed = kit.random.between(from, kit.asOf - 31);
      kit.depart(claimed, "self_report");
      kit.depart(
        claimed + kit.random.between(0, 30),
        kit.random.chance(0.85) ? "carrier_manifest" : "land_exchange",
      );
      kit.truth.set("DEPARTED");
    },
    { maleShare: 0.65 },
  ),
  scenario(
    "self_departure_uncorroborated",
    0.8,
    (kit) => {
      const path = kit.random.next();
      let from: DayNumber;
      if (path < 0.4) {
        from = overstayedVisitor(kit, 30, 2000).admitUntil + 1;
      } else if (path < 0.7) {
        from = kit.daysAgo(400, 4000);
        kit.enterWithoutInspection(from);
        from += 30;
      } else {
        from = unappealedOrder(kit, { minDaysAgo: 60, maxDaysAgo: 2000, withoutInspection: true }).finalDay;
      }
      kit.depart(kit.random.between(Math.min(from, kit.asOf - 1), kit.asOf - 1), "self_report");
      kit.truth.ambiguous("self_report_uncorroborated");
      kit.truth.set("DEPARTED");
    },
    { maleShare: 0.65 },
  ),
];
