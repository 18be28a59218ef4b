import { readFile } from "node:fs/promises";
import type { RedressCase } from "@passage/engine";
import { catchUpProjections } from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { commandAccess } from "./policy.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

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
    .option("--document <type:number:issuer>", "a document reference (repeatable); never a scan", collect)
    .option("--disputed <FEED:KEY>", "a disputed record (repeatable)", collect)
    .option("--departure-date <date>", "for departed: the day the person says they left")
    .action(async (options: Record<string, unknown>, command: Command) => {
      const context = createCommandContext(command);
      const documents = ((options.document as string[] | undefined) ?? []).map((text) => {
        const [type, number, ...issuer] = text.split(":");
        if (!type || !number || issuer.length === 0) {
          throw CliErrors.usage.create(`--document must be TYPE:NUMBER:ISSUER, got "${text}"`);
        }
        return { type, number, issuer: issuer.join(":") };
      });
      const filed = await context.withApp(async (app) =>
        app.redress.file(await commandAccess(app, context), {
          personId: String(options.person),
          kind: String(options.kind) as "citizenship",
          statement: String(options.statement),
          documents,
          disputedRecords: options.disputed as string[] | undefined,
          departureDate: options.departureDate as string | undefined,
        }),
      );
      print(context, filed);
    });

  redress
    .command("list")
    .description("requests, newest first")
    .option("--status <status>", "filed | under_review | resolved")
    .option("--person <id>", "only this person's")
    .action(async (options: { status?: string; person?: string }, command: Command) => {
      const context = createCommandContext(command);
      const requests = await context.withApp(async (app) =>
        app.redress.list(await commandAccess(app, context), {
          status: options.status as "filed" | undefined,
          personId: options.person,
        }),
      );
      if (context.output.json) return context.output.document(requests);
      for (const request of requests) {
        context.output.line(
          `${request.requestId}  ${request.status.padEnd(12)} ${request.kind.padEnd(14)} ${request.personId}  filed ${request.filedAt}${request.outcome ? `  ${request.outcome}` : ""}`,
        );
      }
    });

  redress
    .command("show")
    .description("one request with its history and time to resolution")
    .argument("<request>", "the request id")
    .action(async (requestId: string, _options: unknown, command: Command) => {
      const context = createCommandContext(command);
      print(
        context,
        await context.withApp(async (app) => app.redress.show(await commandAccess(app, context), requestId)),
      );
    });

  redress
    .command("review")
    .description("take a request into review (data steward)")
    .argument("<request>", "the request id")
    .action(async (requestId: string, _options: unknown, command: Command) => {
      const context = createCommandContext(command);
      print(
        context,
        await context.withApp(async (app) =>
          app.redress.startReview(await commandAccess(app, context), requestId),
        ),
      );
    });

  redress
    .command("resolve")
    .description("resolve a request: correction records, or a reason; dependents are re-derived")
    .argument("<request>", "the request id")
    .requiredOption("--outcome <outcome>", "granted | denied | withdrawn")
    .requiredOption("--reason <text>", "why (recorded)")
    .option("--citizenship-effective <date>", "a granted citizenship claim: the date citizenship took effect")
    .option("--corrections <file>", "a JSON array of {feed, row} correction records")
    .option("--unlink <FEED:KEY>", "a record that is not the person's (repeatable)", collect)
    .option("--cannot-link <A,B>", "two records (FEED:KEY,FEED:KEY) never to be linked (repeatable)", collect)
    .action(async (requestId: string, options: ResolveOptions, command: Command) => {
      const context = createCommandContext(command);
      const corrections = options.corrections
        ? JSON.parse(await readFile(options.corrections, "utf8"))
        : undefined;
      if (corrections !== undefined && !Array.isArray(corrections)) {
        throw CliErrors.usage.create("--corrections must name a JSON array of {feed, row}");
      }
      const cannotLink = (options.cannotLink ?? []).map((pair) => {
        const [left, right] = pair.split(",");
        if (!left || !right)
          throw CliErrors.usage.create(`--cannot-link must be FEED:KEY,FEED:KEY, got "${pair}"`);
        return { left, right };
      });
      const resolved = await context.withApp(async (app) => {
        const result = await app.redress.resolve(await commandAccess(app, context), requestId, {
          outcome: options.outcome as "granted",
          reason: options.reason,
          corrections,
          citizenship: options.citizenshipEffective
            ? { effectiveDate: options.citizenshipEffective }
            : undefined,
          unlinks: options.unlink,
          cannotLink,
        });
        // Re-derived before the command returns, so what it reports next is current.
        await catchUpProjections(app);
        return result;
      });
      print(context, resolved);
    });
}

interface ResolveOptions {
  readonly outcome: string;
  readonly reason: string;
  readonly citizenshipEffective?: string;
  readonly corrections?: string;
  readonly unlink?: string[];
  readonly cannotLink?: string[];
}

function print(context: CommandContext, redressCase: RedressCase): void {
  if (context.output.json) {
    context.output.document(redressCase);
    return;
  }
  const { request } = redressCase;
  context.output.line(
    `${request.requestId}: ${request.kind} request for ${request.personId}, ${request.status}`,
  );
  if (request.outcome) context.output.line(`  outcome: ${request.outcome} (${request.outcomeReason})`);
  if (redressCase.daysToResolution !== null)
    context.output.line(`  resolved in ${redressCase.daysToResolution} days`);
  for (const event of redressCase.events) context.output.line(`  ${event.at} ${event.actor} ${event.step}`);
}
