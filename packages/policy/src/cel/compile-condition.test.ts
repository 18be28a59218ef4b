import { isCelError, isCelList, run } from "@bufbuild/cel";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryCaseFacts } from "../testing/arbitrary-cases.ts";
import { arbitraryCondition } from "../testing/arbitrary-condition.ts";
import { ALLOWED_VARIABLES, bindCaseFacts, describeUndeclaredName } from "./case-allowlist.ts";
import type { CelValueType } from "./cel-types.ts";
import {
  CelCompileError,
  CelEvaluationError,
  compileCondition,
  type SlotVariable,
} from "./compile-condition.ts";

const SLOTS: ReadonlyMap<string, SlotVariable> = new Map(
  ALLOWED_VARIABLES.map((entry, slot) => [entry.name, { slot, type: entry.type }]),
);
const compile = (source: string) =>
  compileCondition(source, SLOTS, { describeUndeclared: describeUndeclaredName });
const soak = process.env.PASSAGE_SOAK === "1";

/** The same facts as @bufbuild/cel takes them: ints as bigint, records as maps. */
function referenceValue(value: unknown, type: CelValueType): unknown {
  switch (type.kind) {
    case "int":
      return BigInt(value as number);
    case "list":
      return (value as unknown[]).map((element) => referenceValue(element, type.element));
    case "record":
      return Object.fromEntries(
        type.fields.map((field, index) => [
          field.name,
          referenceValue((value as unknown[])[index], field.type),
        ]),
      );
    default:
      return value;
  }
}

function normalise(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (isCelList(value)) return [...value].map(normalise);
  if (Array.isArray(value)) return value.map(normalise);
  return value;
}

describe("compileCondition", () => {
  it("rejects names outside the allowlist, naming forbidden attributes as such", () => {
    expect(() => compile('nationality == "MEX"')).toThrow(
      /'nationality': rules may never read this attribute/,
    );
    expect(() => compile('sex == "F"')).toThrow(/'sex': rules may never read/);
    expect(() => compile("port_of_entry != ''")).toThrow(/'port_of_entry': rules may never read/);
    expect(() => compile("shoe_size > 3")).toThrow(/'shoe_size': not on the allowlist of case facts/);
    expect(() => compile("convictions.exists(c, c.jurisdiction == 'TX')")).toThrow(
      /Conviction has no field 'jurisdiction'/,
    );
  });

  it("reports type errors with their column", () => {
    const attempt = () => compile('conviction_count > "3"');
    expect(attempt).toThrow(CelCompileError);
    expect(attempt).toThrow(/> cannot apply to int and string \(at column 17\)/);
    expect(() => compile("order_final + 1 > 0")).toThrow(/\+ cannot apply to bool and int/);
    expect(() => compile("size(order_final) > 0")).toThrow(/size cannot apply to bool/);
    expect(() => compile("entry_date.frobnicate()")).toThrow(/unknown method 'frobnicate'/);
    expect(() => compile("conviction_count ==")).toThrow(/syntax error/);
    expect(() => compile("order_final == null")).toThrow(/null is not a value/);
  });

  it("gives the result type and the variables read", () => {
    const compiled = compile('convictions.exists(c, c.severity >= 4) && entry_kind == "admitted"');
    expect(compiled.type.kind).toBe("bool");
    expect(compiled.referencedVariables).toEqual(["convictions", "entry_kind"]);
    expect(compile("conviction_count + 1").type.kind).toBe("int");
  });

  it("keeps CEL's error semantics: && and || absorb an error, arithmetic raises it", () => {
    const frame: unknown[] = [];
    bindCaseFacts(
      {
        personId: "X",
        asOf: "2025-01-01",
        order: null,
        voluntaryDeparture: null,
        convictions: [],
        entry: null,
        encounters: [],
        dateOfBirth: null,
        benefits: [],
        stays: [],
        policyBlockers: [],
        nationalSecurityConcern: null,
      },
      frame,
    );
    expect(compile("1 / 0 > 0 && false").evaluate(frame)).toBe(false);
    expect(compile("1 / 0 > 0 || true").evaluate(frame)).toBe(true);
    expect(() => compile("1 / 0 > 0 || false").evaluate(frame)).toThrow(CelEvaluationError);
    expect(() => compile("[1][3] == 1").evaluate(frame)).toThrow(/out of range/);
    // exists and all: a decisive element wins over an error; otherwise the last error is raised.
    expect(compile("[0, 1, 2].exists(x, 4 / x > 3)").evaluate(frame)).toBe(true);
    expect(() => compile("[0, 4, 2].exists(x, 4 / x > 3)").evaluate(frame)).toThrow(/division by zero/);
    expect(() => compile("[2, 3, 1].exists(x, [0, 1, 2][x] > 5)").evaluate(frame)).toThrow(/index 3/);
    expect(compile("[0, 4].all(x, 4 / x > 3)").evaluate(frame)).toBe(false);
    expect(() => compile("[3, 0, 1].all(x, 4 / x > 0)").evaluate(frame)).toThrow(/division by zero/);
    expect(() => compile("[4, 3, 1].all(x, [0, 1, 2][x] < 5)").evaluate(frame)).toThrow(/index 3/);
    expect(compile("encounters.exists(e, e.days_since > 0) || [1].all(x, x > 0)").evaluate(frame)).toBe(true);
  });

  it("binds every allowlisted variable, in slot order", () => {
    const frame: unknown[] = [];
    const written = bindCaseFacts(fc.sample(arbitraryCaseFacts("X"), { numRuns: 1, seed: 7 })[0]!, frame);
    expect(written).toBe(ALLOWED_VARIABLES.length);
  });

  it("agrees with @bufbuild/cel's evaluator on random conditions and random facts", () => {
    fc.assert(
      fc.property(arbitraryCondition({ age: true }), arbitraryCaseFacts("X"), (source, facts) => {
        const compiled = compile(source);
        const frame: unknown[] = new Array(compiled.frameSize);
        bindCaseFacts(facts, frame);
        const bindings = Object.fromEntries(
          ALLOWED_VARIABLES.map((entry, slot) => [entry.name, referenceValue(frame[slot], entry.type)]),
        );
        const expected = run(source, bindings as never);
        let actual: unknown;
        try {
          actual = compiled.evaluate(frame);
        } catch (error) {
          if (!(error instanceof CelEvaluationError)) throw error;
          expect(
            isCelError(expected),
            `${source}: ours raised ${error.message}, reference gave ${String(expected)}`,
          ).toBe(true);
          return;
        }
        expect(isCelError(expected), `${source}: reference raised, ours gave ${String(actual)}`).toBe(false);
        expect(normalise(actual)).toEqual(normalise(expected));
      }),
      { numRuns: soak ? 20_000 : 400 },
    );
  });
});
