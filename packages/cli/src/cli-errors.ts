import { defineError, registerErrors } from "@passage/core";

/** Errors raised by the command line itself. */
export const CliErrors = {
  usage: defineError(
    "PASSAGE_ERR_CLI_USAGE",
    "invalid_input",
    "The command line is not valid",
    (message: string) => message,
  ),
  outputUnwritable: defineError(
    "PASSAGE_ERR_CLI_OUTPUT_UNWRITABLE",
    "invalid_input",
    "A command's output directory cannot be created or written",
    (directory: string, reason: string) => ({
      message: `cannot write to ${directory}: ${reason}; nothing was written`,
      details: { directory },
    }),
  ),
  tokenNotFound: defineError(
    "PASSAGE_ERR_CLI_TOKEN_NOT_FOUND",
    "not_found",
    "The user has no API token with this id",
    (username: string, id: string) => ({
      message: `${username} has no API token ${id} ("passage users tokens ${username}" lists them)`,
      details: { username, id },
    }),
  ),
  interrupted: defineError(
    "PASSAGE_ERR_CLI_INTERRUPTED",
    "unavailable",
    "The command was interrupted by a signal",
    (signal: string) => `interrupted by ${signal}; work committed before the signal is kept`,
  ),
};
registerErrors("@passage/cli", CliErrors);
