import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { sleep } from "./departure-simulator.ts";

describe("the simulator's wait between records", () => {
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
});
