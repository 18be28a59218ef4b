import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router";
import { describe, expect, it } from "vitest";
import type { TransportPlan } from "../../api/transport-api.ts";
import { PlanView } from "./plan-view.tsx";

// A frozen plan as GET /transport-plans/{id} shows it after linkage merged one passenger into
// another person: see packages/engine/src/transport/transport-plan-checks.int.test.ts.
const PLAN = {
  planId: "TP-1",
  office: "MIA",
  status: "frozen",
  frozenAt: "2026-11-24T10:00:00.000Z",
  frozenBy: "user:planner",
  horizon: { from: "2026-12-01", to: "2026-12-14" },
  cost: { flights: 1000, detention: 9000, carryOver: 0, total: 10_000 },
  heldCost: { flights: 1000, detention: 4500, total: 5500 },
  manifests: [
    {
      flightId: "F-1",
      date: "2026-12-03",
      originHub: "AEX",
      destinationCountry: "GTM",
      destinationPort: null,
      seats: 1,
      capacity: 40,
      cost: 1000,
      passengersWithheld: 0,
      passengers: [
        { personId: "P-1", readyDate: "2026-11-01", detentionDays: 30, strike: null, strikeAtFreeze: null },
        {
          personId: "P-2",
          readyDate: "2026-11-01",
          detentionDays: 30,
          strike: {
            reason: "PERSON_RETIRED",
            gates: [],
            source: "status_change",
            struckAt: "2026-11-24T11:00:00.000Z",
            detail: "P-2 was merged into P-3 (batch link): follow the case there",
          },
          strikeAtFreeze: null,
        },
      ],
    },
  ],
  leftOut: [],
  leftOutWithheld: 0,
} as unknown as TransportPlan;

describe("PlanView", () => {
  it("shows a struck passenger's reason with its detail (the person a merged passenger's case went to)", () => {
    const html = renderToStaticMarkup(
      createElement(MemoryRouter, null, createElement(PlanView, { plan: PLAN })),
    );
    expect(html).toContain("PERSON_RETIRED: P-2 was merged into P-3 (batch link): follow the case there");
    expect(html).toContain("on manifest");
  });

  it("counts in the singular when there is one: one case left out, one more passenger not shown", () => {
    const [manifest] = (PLAN as { manifests: TransportPlan["manifests"] }).manifests;
    const plan = {
      ...PLAN,
      manifests: [{ ...manifest!, passengersWithheld: 1 }],
      leftOut: [{ personId: "P-9", kind: "unplaced", reason: "NO_SEAT", gates: [] }],
      leftOutWithheld: 1,
    } as TransportPlan;
    const text = renderToStaticMarkup(createElement(MemoryRouter, null, createElement(PlanView, { plan })))
      .replace(/<[^>]+>/g, "")
      .replaceAll("&#x27;", "'");
    expect(text).toContain("1 case left out, and why");
    expect(text).toContain("Not shown: 1 case left out that you may not read.");
    expect(text).toContain("not shown: 1 more passenger whose status you may not read");
    expect(text).not.toMatch(/\b1 (cases|passengers)\b/);
  });
});
