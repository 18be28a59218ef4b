import type { Command } from "commander";
import { collectValues } from "../collect-values.ts";

/** Options of `passage redress resolve`. */
export interface ResolveOptions {
  readonly outcome: string;
  readonly reason: string;
  readonly citizenshipEffective?: string;
  readonly citizenshipBirthDate?: string;
  readonly corrections?: string;
  readonly unlink?: string[];
  readonly cannotLink?: string[];
}

/**
 * `passage redress file | list | show | review | resolve` (issue 6): the redress workflow from the
 * command line, audited as the acting user (`--as`) or the local operator, with `--purpose`.
 */
export function registerRedressCommand(program: Command): void {
  const redress = program
    .command("redress")
    .description("redress requests: file, list, show, review, resolve");

  redress
    .command("file")
    .description("file a request; a citizenship claim blocks every action on the person at once")
    .requiredOption("--person <id>", "the person the request is about")
    .requiredOption("--kind <kind>", "citizenship | not_my_record | departed | other")
    .requiredOption("--statement <text>", "what the person says")
    .option(
      "--document <type:number:issuer>",
      "a document reference (repeatable); never a scan",
      collectValues,
    )
    .option("--disputed <FEED:KEY>", "a disputed record (repeatable)", collectValues)
    .option("--departure-date <date>", "for departed: the day the person says they left")
    .action(async (options: Record<string, unknown>, command: Command) => {
      const { fileRedressRequest } = await import("../actions/redress.ts");
      await fileRedressRequest(options, command);
    });

  redress
    .command("list")
    .description("requests, newest first")
    .option("--status <status>", "filed | under_review | resolved")
    .option("--person <id>", "only this person's")
    .action(async (options: { status?: string; person?: string }, command: Command) => {
      const { listRedressRequests } = await import("../actions/redress.ts");
      await listRedressRequests(options, command);
    });

  redress
    .command("show")
    .description("one request with its history and time to resolution")
    .argument("<request>", "the request id")
    .action(async (requestId: string, _options: unknown, command: Command) => {
      const { showRedressRequest } = await import("../actions/redress.ts");
      await showRedressRequest(requestId, command);
    });

  redress
    .command("review")
    .description("take a request into review (data steward)")
    .argument("<request>", "the request id")
    .action(async (requestId: string, _options: unknown, command: Command) => {
      const { reviewRedressRequest } = await import("../actions/redress.ts");
      await reviewRedressRequest(requestId, command);
    });

  redress
    .command("resolve")
    .description("resolve a request: correction records, or a reason; dependents are re-derived")
    .argument("<request>", "the request id")
    .requiredOption("--outcome <outcome>", "granted | denied | withdrawn")
    .requiredOption("--reason <text>", "why (recorded)")
    .option("--citizenship-effective <date>", "a granted citizenship claim: the date citizenship took effect")
    .option(
      "--citizenship-birth-date <date>",
      "a granted citizenship claim: the date of birth on the verified document (default: the person's own; required when the person's records have none)",
    )
    .option("--corrections <file>", "a JSON array of {feed, row} correction records")
    .option("--unlink <FEED:KEY>", "a record that is not the person's (repeatable)", collectValues)
    .option(
      "--cannot-link <A,B>",
      "two records (FEED:KEY,FEED:KEY) never to be linked (repeatable)",
      collectValues,
    )
    .action(async (requestId: string, options: ResolveOptions, command: Command) => {
      const { resolveRedressRequest } = await import("../actions/redress.ts");
      await resolveRedressRequest(requestId, options, command);
    });
}
