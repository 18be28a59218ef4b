/**
 * A command line found invalid while commander parses it (an option's value). Option parsers
 * throw this instead of `CliErrors.usage`, so that registering and parsing the commands loads no
 * error registry; main.ts reports it exactly as `CliErrors.usage` (PASSAGE_ERR_CLI_USAGE).
 */
export class UsageProblem extends Error {
  override readonly name = "UsageProblem";
}
