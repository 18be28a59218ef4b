import { describe, expect, it } from "vitest";
import { MINIMUM_TRAINING_RECORDS } from "../model/default-parameters.ts";
import { parseLinkFileConfigOrThrow } from "./link-file-config.ts";
import { runLinkFile } from "./run-link-file.ts";
import { PEOPLE_COLUMNS, PEOPLE_CONFIG } from "./testing/people-config.ts";

const config = parseLinkFileConfigOrThrow(PEOPLE_CONFIG);
const columns = PEOPLE_COLUMNS;

describe("passage link-file on a tiny input", () => {
  it("links one person's 4 rows with the built-in parameters, and the model says it was not trained", () => {
    const rows = [1, 2, 3, 4].map((index) => ({
      ref: `r${index}`,
      first: "Ravi",
      last: "Singh",
      dob: "1998-02-02",
      nid: "X1000005",
    }));
    const result = runLinkFile(config, [{ name: "people.csv", columns, rows }]);
    expect(result.batch.model.training.defaultParameters?.minimumRecords).toBe(MINIMUM_TRAINING_RECORDS);
    expect(result.pairs).toHaveLength(6);
    expect(result.pairs.every((pair) => pair.decision === "link")).toBe(true);
    expect(new Set(result.clusters.map((row) => row.clusterId))).toEqual(new Set(["r1"]));
  });

  it("keeps two persons with different identifiers apart", () => {
    const rows = [
      { ref: "a", first: "Ana", last: "Garcia", dob: "1990-03-04", nid: "X1" },
      { ref: "b", first: "Ana", last: "Garcia", dob: "1990-03-04", nid: "X1" },
      { ref: "c", first: "Ana", last: "Garcia", dob: "1991-07-08", nid: "Y77" },
    ];
    const result = runLinkFile(config, [{ name: "people.csv", columns, rows }]);
    const clusterOf = new Map(result.clusters.map((row) => [row.id, row.clusterId]));
    expect(clusterOf.get("a")).toBe(clusterOf.get("b"));
    expect(clusterOf.get("c")).not.toBe(clusterOf.get("a"));
  });
});
