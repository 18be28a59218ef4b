import { getEventListeners } from "node:events";
import type { SourceRecord } from "@passage/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Candidate, evidenceFor, identityOf, simulateDepartures, sleep } from "./departure-simulator.ts";

describe("the simulator's wait between records", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("leaves no abort listener behind when the wait runs out", async () => {
    const controller = new AbortController();
    for (let index = 0; index < 20; index++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  // A wait of a minute that did not end on abort would exceed the test's timeout.
  it("ends early when the signal aborts, and at once when it already has", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await waiting;
    await sleep(60_000, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("waits the whole of a wait past Node's timer limit (one timer that long fires at once)", async () => {
    vi.useFakeTimers();
    const limit = 2 ** 31 - 1;
    let ended = false;
    const waiting = sleep(limit + 10_000, undefined).then(() => {
      ended = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(limit);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    await waiting;
    expect(ended).toBe(true);
  });
});

describe("the simulator's options", () => {
  // Refused before anything is read or sent: the store is never touched.
  const store = {} as Parameters<typeof simulateDepartures>[0];

  it("refuses a rate below one record in about 17 minutes, with a coded error", async () => {
    await expect(simulateDepartures(store, { rate: 0.0000001 })).rejects.toMatchObject({
      code: "PASSAGE_ERR_SIMULATION_RATE_OUT_OF_RANGE",
      message: expect.stringContaining("at least 0.001 records per second, got 1e-7"),
    });
    await expect(simulateDepartures(store, { rate: Number.NaN })).rejects.toMatchObject({
      code: "PASSAGE_ERR_SIMULATION_RATE_OUT_OF_RANGE",
    });
  });

  it("refuses a count that is not a whole number above 0", async () => {
    for (const count of [1.5, 0, -2]) {
      await expect(simulateDepartures(store, { rate: 10, count })).rejects.toMatchObject({
        code: "PASSAGE_ERR_SIMULATION_COUNT_INVALID",
      });
    }
  });
});

function record(feed: string, fields: Record<string, string>): SourceRecord {
  return {
    id: `${feed}-${Object.values(fields).join("-")}`,
    feed: feed as SourceRecord["feed"],
    keyValue: "K",
    recordKey: "K",
    version: 1,
    fields,
    recordedAt: "2026-01-01T00:00:00Z",
  };
}

describe("the identity a simulated departure carries", () => {
  it("is copied only from a record linkage attaches on: a date of birth and an A-number or passport", () => {
    // An encounter naming the person with no date of birth or identifier: linkage would not
    // attach a departure copied from it, which would stand alone as a new, departed person.
    const weak = record("encounter", {
      family_name: "Haddad",
      given_names: "Samir",
      nationality: "LBN",
      sex: "M",
      country_of_birth: "LBN",
    });
    expect(identityOf([weak])).toBeUndefined();
    // A date of birth without a strong identifier only reaches review: still not enough.
    expect(identityOf([record("encounter", { family_name: "Haddad", date_of_birth: "1985-06-07" })])).toBe(
      undefined,
    );
    const admission = record("admission", {
      family_name: "Haddad",
      given_names: "Samir",
      date_of_birth: "1985-06-07",
      a_number: "100000001",
    });
    expect(identityOf([weak, admission])).toEqual({
      family_name: "Haddad",
      given_names: "Samir",
      date_of_birth: "1985-06-07",
      a_number: "100000001",
    });
    const passport = record("visa", {
      family_name: "Haddad",
      date_of_birth: "1985-06-07",
      passport_number: "LB123",
      passport_country: "LBN",
    });
    expect(identityOf([passport])).toMatchObject({ passport_number: "LB123" });
  });
});

describe("the evidence of a simulated departure", () => {
  const candidate = (fields: Partial<Candidate>): Candidate => ({
    personId: "P-1",
    state: "FINAL_ORDER",
    detained: true,
    actionable: true,
    identity: {},
    ...fields,
  });

  it("is an executed removal only where the removal is actionable, never under a stay or other gate", () => {
    expect(evidenceFor(candidate({}), 1)).toBe("removal_executed");
    expect(evidenceFor(candidate({ state: "REMOVAL_IN_PROGRESS" }), 1)).toBe("removal_executed");
    // A stay granted (gate STAY_GRANTED): FINAL_ORDER, detained, not actionable.
    for (let sequence = 1; sequence < 50; sequence++) {
      expect(["carrier_manifest", "land_exchange"]).toContain(
        evidenceFor(candidate({ actionable: false }), sequence),
      );
    }
    expect(evidenceFor(candidate({ state: "VD_PERIOD", detained: false, actionable: false }), 1)).toBe(
      "vd_verified",
    );
  });
});
