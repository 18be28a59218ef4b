import { CONFIDENTIALITY_FLAGS, ROLES } from "@passage/access";
import { NOISE_KINDS } from "@passage/synth";
import { describe, expect, it } from "vitest";
import { NOISE_FLAGS } from "./synth.ts";
import { ASSIGNABLE_ROLES, CONFIDENTIALITY_NEEDS } from "./users.ts";

// The registration files list these choices themselves so that `passage --help` loads neither the
// access layer nor the generator; they must stay what those packages define.
describe("choices listed by the command registrations", () => {
  it("users add offers every role but the local operator, in the order of ROLES", () => {
    expect(ASSIGNABLE_ROLES).toEqual(ROLES.filter((role) => role !== "local_operator"));
  });

  it("users add offers every confidentiality need", () => {
    expect(CONFIDENTIALITY_NEEDS).toEqual(CONFIDENTIALITY_FLAGS);
  });

  it("synth has one flag per noise kind, in the order of NOISE_KINDS", () => {
    expect(Object.keys(NOISE_FLAGS)).toEqual(NOISE_KINDS);
  });
});
