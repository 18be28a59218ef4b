import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { ManifestPassenger, TransportPlan } from "../../api/transport-api.ts";
import { PlanView } from "./plan-view.tsx";

const passenger = (
  personId: string,
  strikeAtFreeze: ManifestPassenger["strikeAtFreeze"],
): ManifestPassenger => ({
  personId,
  readyDate: "2026-11-01",
  detentionDays: 30,
  strike: null,
  strikeAtFreeze,
});

// A draft as GET /transport-plans/{id} shows it after a stay was recorded for P-2 and a withheld
// gate now holds P-3 (the freeze's re-check, not recorded): see `planAsShown` of
// packages/engine/src/transport/transport-service.ts and the CLI's plan-transport.int.test.ts.
const DRAFT: TransportPlan = {
  planId: "TP-2",
  status: "draft",
  office: "NYC",
  horizon: { from: "2026-12-01", to: "2026-12-14" },
  createdBy: "user:planner",
  createdAt: "2026-11-24T09:00:00.000Z",
  frozenBy: null,
  frozenAt: null,
  checkedAt: null,
  cost: { flights: 30_000, detention: 13_500, carryOver: 20_000, total: 63_500 },
  heldCost: { flights: 30_000, detention: 13_500, total: 43_500 },
  manifests: [
    {
      flightId: "F-1",
      date: "2026-12-03",
      originHub: "AEX",
      destinationCountry: "GTM",
      destinationPort: null,
      seats: 3,
      capacity: 40,
      cost: 30_000,
      passengersWithheld: 0,
      passengers: [
        passenger("P-1", null),
        passenger("P-2", { reason: "STAY_GRANTED", gates: ["STAY_GRANTED"], detail: null }),
        passenger("P-3", { reason: "withheld-1", gates: ["withheld-1"], detail: null }),
      ],
    },
  ],
  leftOut: [],
  leftOutWithheld: 0,
};

const render = (plan: TransportPlan) =>
  renderToStaticMarkup(createElement(MemoryRouter, null, createElement(PlanView, { plan })));

describe("PlanView: the freeze's re-check of a draft, and the costs", () => {
  it("marks each draft passenger its freeze would strike now, worded as a strike, and counts them", () => {
    const html = render(DRAFT);
    expect(html).toContain(
      "A draft is re-checked when frozen; 2 of the passengers shown would be struck now.",
    );
    expect(html).toContain("would be struck at freeze</span> STAY_GRANTED (gates: STAY_GRANTED)");
    expect(html).toContain("would be struck at freeze</span> withheld-1 (gates: withheld-1)");
    expect(html.match(/would be struck at freeze/g)).toHaveLength(2);
    expect(html.match(/on manifest/g)).toHaveLength(1);
  });

  it("shows the planned cost and what the seats still held cost, both always", () => {
    expect(render(DRAFT)).toContain(
      "Planned cost $63,500 (flights $30,000, detention $13,500, carry-over $20,000); seats still held cost $43,500 (flights $30,000, detention $13,500).",
    );
    // Frozen, every passenger struck: the planned cost stays as planned, the held seats cost nothing.
    const frozen: TransportPlan = {
      ...DRAFT,
      status: "frozen",
      frozenBy: "user:planner",
      frozenAt: "2026-11-24T10:00:00.000Z",
      heldCost: { flights: 0, detention: 0, total: 0 },
      manifests: DRAFT.manifests.map((manifest) => ({
        ...manifest,
        passengers: manifest.passengers.map((entry) => ({
          ...entry,
          strike: {
            reason: "FLIGHT_CANCELLED",
            gates: [],
            source: "status_change" as const,
            struckAt: "2026-11-24T11:00:00.000Z",
            detail: null,
          },
          strikeAtFreeze: null,
        })),
      })),
    };
    const html = render(frozen);
    expect(html).toContain(
      "Planned cost $63,500 (flights $30,000, detention $13,500, carry-over $20,000); seats still held cost $0 (flights $0, detention $0).",
    );
    expect(html).not.toContain("re-checked when frozen;");
    expect(html.match(/struck<\/span> FLIGHT_CANCELLED/g)).toHaveLength(3);
  });
});
