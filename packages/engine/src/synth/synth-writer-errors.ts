import { defineError, registerErrors } from "@passage/core";

/** Errors raised while writing a synthetic population to disk. */
export const SynthWriterErrors = {
  outputUnwritable: defineError(
    "PASSAGE_ERR_SYNTH_OUTPUT_UNWRITABLE",
    "invalid_input",
    "The output directory of `passage synth` cannot be created or written",
    (directory: string, reason: string) => ({
      message: `cannot write the synthetic population to ${directory}: ${reason}; nothing was written`,
      details: { directory },
    }),
  ),
};
registerErrors("@passage/engine/synth", SynthWriterErrors);
