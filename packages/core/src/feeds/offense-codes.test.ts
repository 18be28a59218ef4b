import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseField } from "./normalise-field.ts";
import { OFFENSE_CLASSES, OFFENSE_CODES, offenseDefinition } from "./offense-codes.ts";

const options = { numRuns: process.env.PASSAGE_SOAK === "1" ? 10_000 : 300 };

describe("offense codes (property)", () => {
  it("gives every code a definition: listed codes their own, any other class unknown", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...Object.keys(OFFENSE_CODES)), fc.string()), (code) => {
        const definition = offenseDefinition(code);
        expect(OFFENSE_CLASSES).toContain(definition.offenseClass);
        expect(definition.severity).toBeGreaterThanOrEqual(1);
        expect(definition.severity).toBeLessThanOrEqual(5);
        if (Object.hasOwn(OFFENSE_CODES, code)) expect(definition).toBe(OFFENSE_CODES[code]);
        else expect(definition.offenseClass).toBe("unknown");
      }),
      options,
    );
  });

  it("normalises spelled-out codes to the listed ones", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(OFFENSE_CODES)),
        fc.constantFrom(" ", "-"),
        (code, separator) => {
          const spelled = ` ${code.toLowerCase().replaceAll("_", separator)} `;
          expect(normaliseField({ kind: "offense_code" }, spelled)).toEqual({ ok: true, value: code });
        },
      ),
      options,
    );
  });
});
