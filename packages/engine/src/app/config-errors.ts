import { defineError, registerErrors } from "@passage/core";

/** Errors of Passage's configuration: flags, environment variables and the data directory. */
export const ConfigErrors = {
  invalid: defineError(
    "PASSAGE_ERR_CONFIG_INVALID",
    "invalid_input",
    "A setting from the command line or the environment is invalid (the message names it and where it came from)",
    (problems: string) => `invalid configuration: ${problems}`,
  ),
  dataDirRefused: defineError(
    "PASSAGE_ERR_DATA_DIR_REFUSED",
    "invalid_input",
    "The data directory may not be the home directory, the installation directory or the filesystem root (CLI.md)",
    (dataDir: string, reason: string) => ({
      message: `refusing data directory ${dataDir}: ${reason}; give --data-dir DIR or PASSAGE_DATA_DIR (the default is $PWD/.passage)`,
      details: { dataDir },
    }),
  ),
  dataDirUnusable: defineError(
    "PASSAGE_ERR_DATA_DIR_UNUSABLE",
    "invalid_input",
    "The data directory cannot be created or written (permissions, a read-only or immutable directory, a file in its path)",
    (dataDir: string, reason: string) => ({
      message: `cannot use data directory ${dataDir}: ${reason}; give --data-dir DIR or PASSAGE_DATA_DIR (the default is $PWD/.passage)`,
      details: { dataDir },
    }),
  ),
};
registerErrors("@passage/engine/config", ConfigErrors);
