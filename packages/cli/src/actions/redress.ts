import { readFile } from "node:fs/promises";
import type { CorrectionInput, RedressCase } from "@passage/engine";
import { catchUpProjections } from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { ResolveOptions } from "../commands/redress.ts";
import { commandAccess } from "./policy.ts";

/** `passage redress file`: files a redress request. */
export async function fileRedressRequest(options: Record<string, unknown>, command: Command): Promise<void> {
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
}

/** `passage redress list`: requests, newest first. */
export async function listRedressRequests(
  options: { status?: string; person?: string },
  command: Command,
): Promise<void> {
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
}

/** `passage redress show REQUEST`: one request with its history. */
export async function showRedressRequest(requestId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  print(
    context,
    await context.withApp(async (app) => app.redress.show(await commandAccess(app, context), requestId)),
  );
}

/** `passage redress review REQUEST`: takes the request into review. */
export async function reviewRedressRequest(requestId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  print(
    context,
    await context.withApp(async (app) =>
      app.redress.startReview(await commandAccess(app, context), requestId),
    ),
  );
}

/** `passage redress resolve REQUEST`: resolves it; dependents are re-derived. */
export async function resolveRedressRequest(
  requestId: string,
  options: ResolveOptions,
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const corrections = options.corrections ? await readCorrectionsOrThrow(options.corrections) : undefined;
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
      citizenship: options.citizenshipEffective ? { effectiveDate: options.citizenshipEffective } : undefined,
      unlinks: options.unlink,
      cannotLink,
    });
    // Re-derived before the command returns, so what it reports next is current.
    await catchUpProjections(app);
    return result;
  });
  print(context, resolved);
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

/** The `--corrections` file: a JSON array of {feed, row}; a file that cannot be read or parsed is named. */
async function readCorrectionsOrThrow(file: string): Promise<CorrectionInput[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw CliErrors.usage.create(`--corrections ${file} cannot be read: ${reason}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw CliErrors.usage.create(`--corrections ${file} is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw CliErrors.usage.create(`--corrections ${file} must hold a JSON array of {feed, row}`);
  }
  // Each entry is validated by the resolution itself (feed known, row a valid row of it).
  return parsed as CorrectionInput[];
}
