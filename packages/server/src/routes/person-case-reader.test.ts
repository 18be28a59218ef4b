import type { PersonCaseRow } from "@passage/store";
import { describe, expect, it } from "vitest";
import { PersonCaseReader } from "./person-case-reader.ts";

function caseOf(office: string): PersonCaseRow {
  return { attributes: { office, assignees: [], confidentiality: [] }, records: [], status: undefined };
}

/** A statement per call, answered when the test says: each person's case names the statement. */
function controlledStatements() {
  const statements: { personIds: string[]; finish: (error?: Error) => void }[] = [];
  const find = (personIds: readonly string[]) =>
    new Promise<ReadonlyMap<string, PersonCaseRow>>((resolve, reject) => {
      const number = statements.length;
      statements.push({
        personIds: [...personIds],
        finish: (error) =>
          error
            ? reject(error)
            : resolve(
                new Map(
                  personIds
                    .filter((id) => id !== "P-missing")
                    .map((id) => [id, caseOf(`statement ${number}`)]),
                ),
              ),
      });
    });
  return { statements, find };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("reading person views of concurrent requests together", () => {
  it("reads the persons asked in the same turn in one statement, each once", async () => {
    const { statements, find } = controlledStatements();
    const reader = new PersonCaseReader(find);
    const reads = ["P-1", "P-2", "P-1", "P-missing"].map((id) => reader.read(id));
    await turn();
    expect(statements.map((statement) => statement.personIds)).toEqual([["P-1", "P-2", "P-missing"]]);
    statements[0]!.finish();
    const answers = await Promise.all(reads);
    expect(answers.map((answer) => answer?.attributes.office)).toEqual([
      "statement 0",
      "statement 0",
      "statement 0",
      undefined,
    ]);
  });

  it("runs two statements at most; reads that arrive meanwhile go together in one that starts after them", async () => {
    const { statements, find } = controlledStatements();
    const reader = new PersonCaseReader(find);
    const first = reader.read("P-1");
    await turn();
    const second = reader.read("P-1");
    await turn();
    // Two statements run: these wait, even the person the first statement is reading.
    const waiting = [reader.read("P-1"), reader.read("P-3"), reader.read("P-4")];
    await turn();
    expect(statements.map((statement) => statement.personIds)).toEqual([["P-1"], ["P-1"]]);
    statements[1]!.finish();
    expect((await second)?.attributes.office).toBe("statement 1");
    expect(statements.map((statement) => statement.personIds)).toEqual([
      ["P-1"],
      ["P-1"],
      ["P-1", "P-3", "P-4"],
    ]);
    statements[2]!.finish();
    statements[0]!.finish();
    expect((await first)?.attributes.office).toBe("statement 0");
    expect((await Promise.all(waiting)).map((answer) => answer?.attributes.office)).toEqual([
      "statement 2",
      "statement 2",
      "statement 2",
    ]);
  });

  it("fails the reads of a failed statement only", async () => {
    const { statements, find } = controlledStatements();
    const reader = new PersonCaseReader(find);
    const failed = [reader.read("P-1"), reader.read("P-2")];
    await turn();
    const later = reader.read("P-1");
    await turn();
    statements[0]!.finish(new Error("connection lost"));
    for (const read of failed) await expect(read).rejects.toThrow("connection lost");
    statements[1]!.finish();
    expect((await later)?.attributes.office).toBe("statement 1");
  });
});
