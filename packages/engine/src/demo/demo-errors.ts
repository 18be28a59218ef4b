import { defineError, registerErrors } from "@passage/core";

/** Errors of loading the demo population (`passage start`). */
export const DemoErrors = {
  cannotResume: defineError(
    "PASSAGE_ERR_DEMO_CANNOT_RESUME",
    "conflict",
    "An interrupted demo load cannot be finished: the files it was loading from are gone",
    (directory: string, reason: string) => ({
      message: `cannot finish the interrupted demo load from ${directory}: ${reason}; start again with an empty data directory`,
      details: { directory },
    }),
  ),
};
registerErrors("@passage/engine/demo", DemoErrors);
