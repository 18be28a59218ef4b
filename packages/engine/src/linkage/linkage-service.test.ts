import { describe, expect, it } from "vitest";
import { withholdPersons } from "./linkage-service.ts";

describe("withholdPersons", () => {
  it("names only the persons the reader may read, counting the others", () => {
    const result = {
      reviewId: null,
      decisionIds: ["7"],
      persons: { "visa:V1": "P-OPEN", "benefit:B1": "P-ASYLEE", "court:C1": null },
      personsChanged: ["P-ASYLEE", "P-OPEN"],
      retired: [
        { personId: "P-GONE", successorPersonId: "P-ASYLEE", reason: "its records joined another person" },
        { personId: "P-HIDDEN", successorPersonId: null, reason: "emptied" },
      ],
      keptApart: [
        {
          record: "visa:V2",
          personId: "P-ASYLEE",
          reason: "conflicting_identifiers" as const,
          conflictingIdentifiers: ["a_number"],
          conflictsWith: ["visa:V1"],
        },
      ],
      personsWithheld: 0,
    };
    const readable = (id: string) => id !== "P-ASYLEE" && id !== "P-HIDDEN";
    expect(withholdPersons(result, readable, () => true)).toEqual({
      reviewId: null,
      decisionIds: ["7"],
      persons: { "visa:V1": "P-OPEN", "benefit:B1": "withheld", "court:C1": null },
      personsChanged: ["P-OPEN"],
      retired: [
        { personId: "P-GONE", successorPersonId: "withheld", reason: "its records joined another person" },
      ],
      keptApart: [{ ...result.keptApart[0]!, personId: "withheld" }],
      personsWithheld: 2,
    });
    expect(
      withholdPersons(
        result,
        () => true,
        () => true,
      ),
    ).toEqual(result);
  });
});
