import { describe, expect, it } from "vitest";
import { createComparator } from "../compare/create-comparator.ts";
import { NAME_LEVELS } from "../compare/name-comparator.ts";
import { parseLinkFileConfigOrThrow } from "../link-file/link-file-config.ts";
import { runLinkFile } from "../link-file/run-link-file.ts";
import { generatePersonRows, PERSON_ROW_COLUMNS } from "../testing/index.ts";
import { COMPARISON_KINDS } from "./linkage-settings.ts";
import { LEVEL_ORDERS, levelOrderOf, monotoneLevelM } from "./monotone-level-weights.ts";

const weights = (m: readonly number[], u: readonly number[]) =>
  m.map((value, level) => (level === 0 ? 0 : Math.log2(value / u[level]!)));
const sum = (row: readonly number[]) => row.slice(1).reduce((total, value) => total + value, 0);

/** Whether a row's weights obey an order: the chain non-increasing, `between` levels within its ends. */
function inOrder(
  m: readonly number[],
  u: readonly number[],
  order: ReturnType<typeof levelOrderOf>,
): boolean {
  const weight = weights(m, u);
  const tolerance = 1e-9;
  for (let index = 1; index < order.chain.length; index += 1)
    if (weight[order.chain[index]!]! > weight[order.chain[index - 1]!]! + tolerance) return false;
  const first = weight[order.chain[0]!]!;
  const last = weight[order.chain[order.chain.length - 1]!]!;
  return order.between.every(
    (level) => weight[level]! <= first + tolerance && weight[level]! >= last - tolerance,
  );
}

describe("monotone level weights", () => {
  // Levels: missing, exact, variant, partial, close, similar, different.
  const nameOrder = levelOrderOf("given_name", NAME_LEVELS);

  it("orders every level of every kind by its label, and the starting parameters obey the order", () => {
    expect(nameOrder).toEqual({ chain: [1, 2, 4, 5, 6], between: [3] });
    for (const kind of COMPARISON_KINDS) {
      const levels = createComparator({ name: "field", kind, column: "field" }).levels;
      const order = levelOrderOf(kind, levels);
      // Every level but missing is placed, so a renamed level cannot drop out of the order unseen.
      expect([...order.chain, ...order.between].sort()).toEqual(levels.slice(1).map((_, index) => index + 1));
      expect(order.chain[0]).toBe(levels.findIndex((level) => level.label === "exact"));
      expect(LEVEL_ORDERS[kind].chain.length + LEVEL_ORDERS[kind].between.length).toBe(levels.length - 1);
      const startingM = levels.map((level) => level.startingM);
      const startingU = levels.map((level) => level.startingU);
      expect({ kind, inOrder: inOrder(startingM, startingU, order) }).toEqual({ kind, inOrder: true });
    }
  });

  it("pools a less similar level that outweighs a more similar one, keeping u and the sum of m", () => {
    // close (4) weighs log2(0.2 / 0.002) = 6.64 bits, more than exact's log2(0.6 / 0.01) = 5.91.
    const m = [1, 0.6, 0.05, 0.04, 0.2, 0.06, 0.05];
    const u = [1, 0.01, 0.001, 0.003, 0.002, 0.02, 0.964];
    expect(inOrder(m, u, nameOrder)).toBe(false);
    const ordered = monotoneLevelM(m, u, nameOrder);
    expect(inOrder(ordered, u, nameOrder)).toBe(true);
    expect(sum(ordered)).toBeCloseTo(sum(m), 12);
    const weight = weights(ordered, u);
    // exact, variant and close pooled: (0.6 + 0.05 + 0.2) / (0.01 + 0.001 + 0.002).
    const pooled = Math.log2(0.85 / 0.013);
    for (const level of [1, 2, 4]) expect(weight[level]).toBeCloseTo(pooled, 9);
    // Levels already in order keep their m.
    for (const level of [3, 5, 6]) expect(ordered[level]).toBe(m[level]);
  });

  it("keeps a level of another kind of likeness between exact agreement and disagreement", () => {
    // partial (3) above exact; otherwise in order.
    const m = [1, 0.5, 0.05, 0.3, 0.05, 0.05, 0.05];
    const u = [1, 0.01, 0.001, 0.002, 0.003, 0.02, 0.964];
    const ordered = monotoneLevelM(m, u, nameOrder);
    expect(inOrder(ordered, u, nameOrder)).toBe(true);
    expect(weights(ordered, u)[3]).toBeCloseTo(weights(ordered, u)[1]!, 9);
    expect(sum(ordered)).toBeCloseTo(sum(m), 12);
    // A partial agreement weighing less than close but more than different is left as it is.
    const lower = [1, 0.5, 0.05, 0.005, 0.03, 0.05, 0.365];
    expect(monotoneLevelM(lower, u, nameOrder)).toEqual(lower);
  });

  it("gives trained names and dates no more weight for a typo than for exact agreement", () => {
    const rows = generatePersonRows({ persons: 3_000, seed: 11 });
    const config = parseLinkFileConfigOrThrow({
      id: "person_ref",
      fields: [
        { column: "first_name", kind: "given_name" },
        { column: "surname", kind: "family_name" },
        { column: "birth_date", kind: "date", format: "DD/MM/YYYY" },
        { column: "street", kind: "text" },
        { column: "postcode", kind: "postcode" },
        { column: "national_id", kind: "identifier", strong: true },
      ],
    });
    const table = rows.map((row): Record<string, string> => ({ ...row }));
    const { batch } = runLinkFile(config, [{ name: "people.csv", columns: PERSON_ROW_COLUMNS, rows: table }]);
    const model = batch.model;
    for (const comparison of model.settings.comparisons) {
      const { m, u } = model.parameters.comparisons[comparison.name]!;
      const levels = createComparator(comparison).levels;
      expect({
        name: comparison.name,
        inOrder: inOrder(m, u, levelOrderOf(comparison.kind, levels)),
      }).toEqual({
        name: comparison.name,
        inOrder: true,
      });
    }
  });
});
