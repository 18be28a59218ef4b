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

type RedressStatus = RedressCase["request"]["status"];

/** The statuses `--status` takes (the HTTP route's `status` query). */
export const REDRESS_STATUS_OPTIONS = [
  "filed",
  "under_review",
  "resolved",
] as const satisfies readonly RedressStatus[];

/** `--status` checked: a status that is none of the known ones is a usage error naming them. */
function statusOptionOrThrow(status: string | undefined): RedressStatus | undefined {
  if (status === undefined) return undefined;
  if ((REDRESS_STATUS_OPTIONS as readonly string[]).includes(status)) return status as RedressStatus;
  throw CliErrors.usage.create(
    `--status must be one of ${REDRESS_STATUS_OPTIONS.join(", ")}, got "${terminalSafe(status)}"`,
  );
}

/** `passage redress list`: requests, newest first. */
export async function listRedressRequests(
  options: { status?: string; person?: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const status = statusOptionOrThrow(options.status);
  const requests = await context.withApp(async (app) => {
    const access = await commandAccess(app, context);
    // A role that may read no redress request is refused, as GET /api/v1/redress and
    // `redress show` refuse it, not answered with an empty list.
    await access.refuseUnlessRolePermits("redress.read", options.person ?? "*");
    return app.redress.list(access, { status, personId: options.person });
  });
  if (context.output.json) return context.output.document(requests);
  for (const request of requests) {
    context.output.line(
      terminalSafe(
        `${request.requestId}  ${request.status.padEnd(12)} ${request.kind.padEnd(14)} ${request.personId}  filed ${request.filedAt}${request.outcome ? `  ${request.outcome}` : ""}`,
      ),
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
      citizenship: options.citizenshipEffective
        ? { effectiveDate: options.citizenshipEffective, dateOfBirth: options.citizenshipBirthDate }
        : undefined,
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
  for (const line of redressCaseLines(redressCase)) context.output.line(line);
}

/**
 * A request as text: what was filed (statement, documents, disputed records), the outcome with
 * its reason and corrections, and the history. Every value is `terminalSafe`: text a filer or a
 * steward typed cannot move the cursor, recolour the terminal, reverse the line or start a line
 * that looks like history.
 */
export function redressCaseLines(redressCase: RedressCase): string[] {
  const { request } = redressCase;
  const lines = [`${request.requestId}: ${request.kind} request for ${request.personId}, ${request.status}`];
  lines.push(`  filed ${request.filedAt} by ${request.filedBy}`);
  lines.push(`  statement: ${request.statement}`);
  if (request.departureDate) lines.push(`  departure date: ${request.departureDate}`);
  for (const record of request.disputedRecords) lines.push(`  disputed record: ${record}`);
  for (const document of request.documents) {
    lines.push(`  document: ${document.type}, number ${document.number}, issued by ${document.issuer}`);
  }
  if (request.outcome) lines.push(`  outcome: ${request.outcome} (${request.outcomeReason ?? ""})`);
  for (const correction of request.corrections) lines.push(`  correction: ${describeCorrection(correction)}`);
  if (redressCase.daysToResolution !== null) lines.push(`  resolved in ${redressCase.daysToResolution} days`);
  for (const event of redressCase.events) lines.push(`  ${event.at} ${event.actor} ${event.step}`);
  return lines.map(terminalSafe);
}

/** A correction of a resolution's summary: `{record, outcome, version?}` as one line. */
function describeCorrection(correction: unknown): string {
  if (correction === null || typeof correction !== "object") return String(correction);
  const { record, outcome, version } = correction as Record<string, unknown>;
  if (typeof record !== "string") return JSON.stringify(correction);
  return `${record} ${String(outcome ?? "")}${version === undefined ? "" : ` (version ${String(version)})`}`;
}

/**
 * Text made safe to print on a terminal: C0 and C1 control characters (ESC sequences, carriage
 * returns, newlines), DEL, the bidirectional controls (U+202E and kin, which reverse what
 * follows) and the line and paragraph separators are shown as escapes (`\n`, `\u{1b}`), never
 * sent raw; a backslash is doubled so an escape cannot be forged.
 */
export function terminalSafe(text: string): string {
  let safe = "";
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (character === "\\") safe += "\\\\";
    else if (character === "\n") safe += "\\n";
    else if (character === "\r") safe += "\\r";
    else if (character === "\t") safe += "\\t";
    else if (isTerminalControl(code)) safe += `\\u{${code.toString(16)}}`;
    else safe += character;
  }
  return safe;
}

/** C0, DEL and C1 controls, the bidirectional controls, and the line and paragraph separators. */
export function isTerminalControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
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
