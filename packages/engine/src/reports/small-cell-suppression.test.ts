import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SMALL_CELL_THRESHOLD, suppressSmallCells } from "./small-cell-suppression.ts";

const tables = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }), count: fc.nat(60) }),
  {
    selector: (row) => row.key,
    maxLength: 8,
  },
);

describe("small-cell suppression", () => {
  it("publishes no count from 1 to 10", () => {
    fc.assert(
      fc.property(tables, (rows) => {
        for (const cell of suppressSmallCells(rows).cells) {
          if (cell.count !== null) expect(cell.count === 0 || cell.count >= SMALL_CELL_THRESHOLD).toBe(true);
        }
      }),
    );
  });

  it("never leaves a withheld cell recoverable from the total and the published cells", () => {
    fc.assert(
      fc.property(tables, (rows) => {
        const table = suppressSmallCells(rows);
        const withheld = table.cells.filter((cell) => cell.suppressed);
        if (table.total === null || withheld.length === 0) return;
        // With the total published: at least two cells withheld, together at least the threshold,
        // so no one of them is pinned down below the threshold by subtraction.
        expect(withheld.length).toBeGreaterThanOrEqual(2);
        const published = table.cells.reduce((sum, cell) => sum + (cell.count ?? 0), 0);
        expect(table.total - published).toBeGreaterThanOrEqual(SMALL_CELL_THRESHOLD);
      }),
    );
  });

  it("keeps every count that needs no protection", () => {
    const table = suppressSmallCells([
      { key: "a", count: 40 },
      { key: "b", count: 25 },
      { key: "c", count: 0 },
    ]);
    expect(table).toEqual({
      cells: [
        { key: "a", count: 40, suppressed: false },
        { key: "b", count: 25, suppressed: false },
        { key: "c", count: 0, suppressed: false },
      ],
      total: 65,
    });
  });

  it("withholds a second cell when one small cell would be recoverable", () => {
    const table = suppressSmallCells([
      { key: "a", count: 40 },
      { key: "b", count: 3 },
      { key: "c", count: 20 },
    ]);
    expect(table.cells.map((cell) => cell.count)).toEqual([40, null, null]);
    expect(table.total).toBe(63);
  });

  it("withholds everything when the total itself is small", () => {
    const table = suppressSmallCells([
      { key: "a", count: 4 },
      { key: "b", count: 5 },
    ]);
    expect(table.total).toBeNull();
    expect(table.cells.every((cell) => cell.count === null)).toBe(true);
  });
});
