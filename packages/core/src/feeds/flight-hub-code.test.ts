import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseRow } from "./normalise-row.ts";

const flight = (originHub: string) => ({
  flight_id: "F-1",
  date: "2026-12-01",
  origin_hub: originHub,
  destination_country: "gtm",
  seats: "10",
  cost: "5000",
});

describe("a flight's origin hub", () => {
  it("is stored upper-case, as the destination country is, so it matches the facility-to-hub codes", () => {
    const result = normaliseRow("flight", flight(" iwa "));
    expect(result).toMatchObject({ ok: true, fields: { origin_hub: "IWA", destination_country: "GTM" } });
  });

  it("is refused, naming it, when it is not a hub code", () => {
    const result = normaliseRow("flight", flight("Los Angeles"));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain("origin_hub");
  });

  it("normalises the same whatever the case it arrives in (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{2,12}$/), (code) => {
        const lower = normaliseRow("flight", flight(code.toLowerCase()));
        const upper = normaliseRow("flight", flight(code.toUpperCase()));
        expect(lower).toEqual(upper);
        expect(lower).toMatchObject({ ok: true, fields: { origin_hub: code.toUpperCase() } });
      }),
    );
  });
});
