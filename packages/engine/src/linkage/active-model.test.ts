import { describe, expect, it } from "vitest";
import { type ActiveModel, outgrownReason, RETRAIN_GROWTH_FACTOR } from "./active-model.ts";

const model = (trainedOnRecords: number | undefined) => ({ version: 3, trainedOnRecords }) as ActiveModel;

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

  it("never retrains a model whose training count is unknown", () => {
    expect(outgrownReason(model(undefined), 1_000_000)).toBeUndefined();
  });
});
