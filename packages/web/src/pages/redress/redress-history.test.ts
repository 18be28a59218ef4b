import { describe, expect, it } from "vitest";
import { supersededNote } from "./redress-history.ts";

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
