import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PublishedTable, SMALL_CELL_THRESHOLD, suppressSmallCells } from "./small-cell-suppression.ts";

const tables = fc.uniqueArray(
  fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }), count: fc.nat(60) }),
  {
    selector: (row) => row.key,
    maxLength: 8,
  },
);

/** Every table of `size` cells with counts from 0 to `max`. */
function* allTables(size: number, max: number): Generator<number[]> {
  const counts = new Array<number>(size).fill(0);
  for (;;) {
    yield [...counts];
    let index = 0;
    while (index < size && counts[index] === max) counts[index++] = 0;
    if (index === size) return;
    counts[index]! += 1;
  }
}

/**
 * A reader who knows the rule and everything published: groups every table by what it publishes
 * (plus `alsoKnown`, what the rest of the report reveals about it) and returns, for each withheld
 * cell of each published output, every value it takes among the tables consistent with it.
 */
function withheldValues(
  size: number,
  max: number,
  publish: (counts: number[]) => PublishedTable,
  alsoKnown: (counts: number[]) => string = () => "",
): { published: string; cell: number; values: Set<number> }[] {
  const groups = new Map<string, { table: PublishedTable; inputs: number[][] }>();
  for (const counts of allTables(size, max)) {
    const table = publish(counts);
    const signature = `${JSON.stringify(table)}|${alsoKnown(counts)}`;
    const group = groups.get(signature) ?? { table, inputs: [] };
    group.inputs.push(counts);
    groups.set(signature, group);
  }
  const found: { published: string; cell: number; values: Set<number> }[] = [];
  for (const [published, { table, inputs }] of groups) {
    table.cells.forEach((cell, index) => {
      if (cell.suppressed)
        found.push({ published, cell: index, values: new Set(inputs.map((x) => x[index]!)) });
    });
  }
  return found;
}

const keyed = (counts: number[]) => counts.map((count, index) => ({ key: `k${index}`, count }));

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

  it("withholds the total whenever a cell is withheld", () => {
    fc.assert(
      fc.property(tables, (rows) => {
        const table = suppressSmallCells(rows);
        if (table.cells.some((cell) => cell.suppressed)) expect(table.total).toBeNull();
        else expect(table.total).toBe(rows.reduce((sum, row) => sum + row.count, 0));
      }),
    );
  });

  // The review's brute force: a reader who knows the algorithm and sees the output enumerates every
  // table that gives the same output. No withheld cell may be pinned down: each keeps every value
  // from 1 to 10 (the rule's own interval, nothing narrower).
  it.each([
    [1, 30],
    [2, 30],
    [3, 30],
    [4, 14],
  ])(
    "leaves every withheld cell of every %i-cell table (counts 0..%i) anywhere from 1 to 10",
    (size, max) => {
      const found = withheldValues(size, max, (counts) => suppressSmallCells(keyed(counts)));
      expect(found.length).toBeGreaterThan(0);
      for (const { published, cell, values } of found) {
        expect(
          [...values].sort((a, b) => a - b),
          `${published} cell ${cell}`,
        ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
    },
  );

  it("pins no withheld cell of the review's example (11, 10, 10 once published as 11, -, -, total 31)", () => {
    const table = suppressSmallCells(keyed([11, 10, 10]));
    expect(table).toEqual({
      cells: [
        { key: "k0", count: 11, suppressed: false },
        { key: "k1", count: null, suppressed: true },
        { key: "k2", count: null, suppressed: true },
      ],
      total: null,
    });
  });

  it("pins no withheld cell of a table whose total counts persons once (cells may overlap)", () => {
    // Cells of persons by gate, the total distinct persons: any total from the largest cell to the sum.
    const found: { published: string; cell: number; values: Set<number> }[] = [];
    for (const overlap of [0, 1, 5, 12]) {
      found.push(
        ...withheldValues(3, 24, (counts) => {
          const sum = counts.reduce((a, b) => a + b, 0);
          const total = Math.max(Math.max(...counts), sum - overlap);
          return suppressSmallCells(keyed(counts), { total });
        }),
      );
    }
    for (const { published, cell, values } of found)
      expect(values.size, `${published} cell ${cell}`).toBe(10);
  });

  it("pins no withheld redress outcome given what the redress times reveal (fewer or more than 10 resolved)", () => {
    // kind:open, kind:rejected, kind:verified, kind:withdrawn; the times of a kind are withheld when
    // fewer than the threshold requests of it were resolved, which a reader sees.
    const found = withheldValues(
      4,
      13,
      (counts) => suppressSmallCells(keyed(counts)),
      ([, a, b, c]) => String(a! + b! + c! < SMALL_CELL_THRESHOLD),
    );
    for (const { published, cell, values } of found) {
      expect(values.size, `${published} cell ${cell}`).toBeGreaterThanOrEqual(2);
    }
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

  it("publishes a total given apart (persons counted once) when no cell is withheld", () => {
    expect(
      suppressSmallCells(
        [
          { key: "a", count: 20 },
          { key: "b", count: 15 },
        ],
        { total: 30 },
      ).total,
    ).toBe(30);
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
