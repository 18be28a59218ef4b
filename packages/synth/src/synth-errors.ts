import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the synthetic population generator. */
export const SynthErrors = {
  invalidOption: defineError(
    "PASSAGE_ERR_SYNTH_OPTION_INVALID",
    "invalid_input",
    "An option of the synthetic population generator is out of range or malformed",
    (option: string, problem: string) => ({ message: `${option}: ${problem}`, details: { option } }),
  ),
};
registerErrors("@passage/synth", SynthErrors);
