import { describe, expect, it } from "vitest";
import { correctionNote, partlyDecidedNote, supersededNote } from "./redress-history.ts";

describe("supersededNote", () => {
  it("names the record, the source and both versions of a source_superseded event (as the store writes it)", () => {
    expect(
      supersededNote({
        record: "court:CE-71-2",
        recordKey: "CE-71-2",
        correctedVersion: 2,
        version: 3,
        sourceKind: "file",
        source: "court-extract.csv",
        batchId: "17",
      }),
    ).toBe(
      "The source (court-extract.csv) has since written version 3 of court:CE-71-2, replacing the corrected version 2: check whether the correction still holds.",
    );
  });
});

describe("partlyDecidedNote", () => {
  it("says what stands, what was refused and why, as the engine records a links_partly_decided event", () => {
    expect(
      partlyDecidedNote({
        reason: "checked",
        taken: [{ record: "court:CE-4", outcome: "unlinked" }],
        refused: { record: "court:CE-1 ~ court:CE-3", outcome: "cannot_link" },
        problem: "must-link decisions join them through other records",
      }),
    ).toBe(
      "A resolution was refused part-way: court:CE-4: unlinked from the person stands; refused: court:CE-1 and court:CE-3: never to be linked (must-link decisions join them through other records). The request stays open: resolve it again without what stands.",
    );
  });
});

describe("correctionNote", () => {
  it("says what a granted resolution did to each record, as the server lists it", () => {
    expect(correctionNote({ record: "court:CE-905", outcome: "unlinked" })).toBe(
      "court:CE-905: unlinked from the person",
    );
    expect(correctionNote({ record: "court:CE-905 ~ visa:V1", outcome: "cannot_link" })).toBe(
      "court:CE-905 and visa:V1: never to be linked",
    );
    expect(correctionNote({ record: "court:CE-71-2", version: 2, outcome: "corrected" })).toBe(
      "court:CE-71-2: corrected (version 2)",
    );
    expect(correctionNote({ record: "benefit:EAC1:filed", version: 1, outcome: "new" })).toBe(
      "benefit:EAC1:filed: written as a new record (version 1)",
    );
  });
});
