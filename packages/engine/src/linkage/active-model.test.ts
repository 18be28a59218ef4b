import { describe, expect, it } from "vitest";
import { type ActiveModel, outgrownReason, RETRAIN_GROWTH_FACTOR } from "./active-model.ts";

const model = (trainedOnRecords: number | undefined, defaultParameters?: string) =>
  ({ version: 3, trainedOnRecords, defaultParameters }) as ActiveModel;

describe("outgrownReason (passage link retrains a model the table outgrew)", () => {
  it("retrains from twice the records the model was trained on, saying why", () => {
    expect(RETRAIN_GROWTH_FACTOR).toBe(2);
    expect(outgrownReason(model(14), 35)).toBe("the table grew from 14 to 35 records since v3");
    expect(outgrownReason(model(14), 28)).toBe("the table grew from 14 to 28 records since v3");
  });

  it("keeps the model below that: 1% growth, 99% growth, no growth, fewer records", () => {
    expect(outgrownReason(model(20_000), 20_200)).toBeUndefined();
    expect(outgrownReason(model(14), 27)).toBeUndefined();
    expect(outgrownReason(model(14), 14)).toBeUndefined();
    expect(outgrownReason(model(14), 3)).toBeUndefined();
  });

  it("trains a model of built-in defaults (a table too small to train on) once the table holds enough records", () => {
    const defaults = model(60, "60 records, fewer than the 100 needed to train on");
    expect(outgrownReason(defaults, 99)).toBeUndefined();
    expect(outgrownReason(defaults, 100)).toBe(
      "the table grew from 60 to 100 records since v3, enough to train on",
    );
    expect(outgrownReason(model(60), 100)).toBeUndefined();
    expect(outgrownReason(defaults, 120)).toBe("the table grew from 60 to 120 records since v3");
  });

  it("never retrains a model whose training count is unknown", () => {
    expect(outgrownReason(model(undefined), 1_000_000)).toBeUndefined();
  });
});
