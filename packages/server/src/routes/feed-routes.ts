import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { type Actor, type AuditedAccess, CONFIDENTIALITY_FLAGS } from "@passage/access";
import { FEEDS, type FieldIssue, isPassageError } from "@passage/core";
import { type RowIngestor, type RowIngestResult, type RowOptions, settleInOrder } from "@passage/engine";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ServerErrors } from "../server-errors.ts";
import { SERVER_DEFAULTS } from "../server-options.ts";
import { recordConfidentialityOf } from "../views/record-confidentiality.ts";
import { accessOf, actorOf, type RouteContext } from "./route-context.ts";

/** Content types of a newline-delimited JSON body (one row a line). */
export const NDJSON_CONTENT_TYPES = ["application/x-ndjson", "application/ndjson", "application/jsonl"];

const MAX_LINE_BYTES = 1024 * 1024; // one row; a longer line is rejected, not buffered
const ROWS_IN_FLIGHT = 1000; // rows handed to the ingestor before the first result is awaited (group commit)
const REJECTS_IN_SUMMARY = 100;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
// A UTF-8 byte order mark some tools write at the start of a file: not part of line 1's row.
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What became of one line of the body. */
export type LineResult =
  | {
      line: number;
      outcome: "new" | "corrected" | "unchanged";
      record: string;
      version: number;
      warnings: number;
      /** Unchanged: the row re-sends what a redress resolution corrected, which stays current. */
      heldByRedress?: true;
    }
  | { line: number; outcome: "rejected"; issues: { field: string; reason: string }[] }
  | { line: number; outcome: "refused"; column: string; reason: string };

/** The poster's checks of each row: of its own content, and of what is stored under its key. */
export type WriteChecks = Pick<RowOptions, "admit" | "admitStored">;

/** A line of the body: its text, or why it cannot be read. */
type BodyLine = { line: number; text: string } | { line: number; issue: { field: string; reason: string } };

/**
 * The body passed the route's limit mid-stream. The lines read before it have been handed on (and
 * are committed once their results are known); reading stops after `linesRead`.
 */
export class BodyLimitReached extends Error {
  constructor(readonly linesRead: number) {
    super(`the body passed its limit after line ${linesRead}`);
  }
}

const Summary = z.object({
  feed: z.string(),
  read: z.number(),
  new: z.number(),
  corrected: z.number(),
  unchanged: z.number(),
  /** Of the unchanged lines, those re-sending what a redress resolution corrected (it stays current). */
  heldByRedress: z.number(),
  rejected: z.number(),
  refused: z.number(),
  rejects: z.array(z.record(z.string(), z.unknown())),
});

/**
 * `POST /api/v1/feeds/{feed}/records` (SOURCES.md "Streaming"): an NDJSON body streamed into the row
 * ingestor, each line validated as a file row is, committed in group batches; a line with a refused
 * column (SOURCES.md denylist) is refused and nothing of it stored. Answers a summary, or with
 * `?results=lines` a per-line NDJSON result stream that flows while the body still arrives. The
 * only route that accepts a large body (SERVER_DEFAULTS.feedBodyLimit) — and only NDJSON.
 */
export async function registerFeedRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const bodyLimit = context.feedBodyLimit ?? SERVER_DEFAULTS.feedBodyLimit;
  await api.register(async (scope) => {
    // Only NDJSON here, handed over as the raw stream: JSON and text bodies get 415 unread.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(NDJSON_CONTENT_TYPES, (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/feeds/:feed/records",
      {
        bodyLimit,
        config: { access: { action: "feed.ingest" } },
        schema: {
          summary:
            "Streams NDJSON rows of a feed into ingest (content type application/x-ndjson, one JSON object a line)",
          tags: ["feeds"],
          params: z.object({ feed: z.enum(FEEDS) }),
          querystring: z.object({ results: z.enum(["summary", "lines"]).default("summary") }),
          response: { 200: Summary },
        },
      },
      async (request, reply) => {
        const { feed } = request.params;
        const declared = Number(request.headers["content-length"] ?? Number.NaN);
        if (declared > bodyLimit) throw ServerErrors.bodyTooLarge.create(bodyLimit);
        const body = request.body;
        if (!(body instanceof Readable))
          throw ServerErrors.unsupportedMediaType.create(String(request.headers["content-type"]));
        // A compressed body would be read as rows of bytes: refused whole, before any line is read.
        const encoding = String(request.headers["content-encoding"] ?? "identity")
          .trim()
          .toLowerCase();
        if (encoding !== "identity" && encoding !== "") {
          throw ServerErrors.unsupportedMediaType.create(
            `${String(request.headers["content-type"])} with content-encoding ${encoding}`,
          );
        }
        // The ingest is the work of one audited run: its started entry is written before the
        // first line is read, and its finished entry holds the counts of what was stored (for a
        // body cut off at its limit, or a caller gone before reading every line, those stored).
        const summary = emptySummary(feed);
        const ingest = auditedIngest(
          accessOf(context, request),
          feed,
          { results: request.query.results, contentLength: Number.isFinite(declared) ? declared : null },
          summary,
        );
        await ingest.started;
        const results = ingestLines(
          context.ingestor,
          feed,
          body,
          bodyLimit,
          writeChecksFor(actorOf(request), feed),
        );
        if (request.query.results === "lines") {
          const lines = Readable.from(
            (async function* () {
              let ending: IngestEnding = { callerWentAway: true };
              try {
                for await (const result of results) {
                  tally(summary, result);
                  yield `${JSON.stringify(result)}\n`;
                }
                ending = {};
              } catch (error) {
                if (!(error instanceof BodyLimitReached)) {
                  ending = { error };
                  throw error;
                }
                ending = { bodyLimitReached: true };
                // The 200 and the lines before are sent: the answer ends with the error as its last
                // line (the lines above say which rows are stored), never a reset connection.
                const { code, message, details } = ServerErrors.bodyTooLarge.create(bodyLimit, {
                  linesRead: error.linesRead,
                  stored: storedOf(summary),
                });
                yield `${JSON.stringify({ error: { code, message, details } })}\n`;
              } finally {
                await ingest.end(ending).catch(() => undefined);
              }
            })(),
          );
          // A stream is sent as it is (no serializer): the 200 schema describes the summary form.
          return reply.type("application/x-ndjson").send(lines as never);
        }
        try {
          for await (const result of results) tally(summary, result);
        } catch (error) {
          if (!(error instanceof BodyLimitReached)) {
            await ingest.end({ error }).catch(() => undefined);
            throw error;
          }
          await ingest.end({ bodyLimitReached: true });
          throw ServerErrors.bodyTooLarge.create(bodyLimit, {
            linesRead: error.linesRead,
            stored: storedOf(summary),
            summary,
          });
        }
        await ingest.end({});
        return summary;
      },
    );
  });
}

/**
 * Reads the body line by line, hands each row to the ingestor with a bounded number in flight,
 * and yields each line's result in order as soon as it and those before it are known. A body that
 * passes `limit` bytes is read no further: the results of the lines before are yielded, then
 * BodyLimitReached is thrown (the rest of the body is read and dropped, so that the answer
 * reaches the caller: destroying the request would reset the connection unanswered).
 */
export async function* ingestLines(
  ingestor: RowIngestor,
  feed: string,
  body: Readable,
  limit: number = SERVER_DEFAULTS.feedBodyLimit,
  checks: WriteChecks = {},
): AsyncGenerator<LineResult> {
  let limitReached: BodyLimitReached | undefined;
  async function* lines(): AsyncGenerator<BodyLine> {
    try {
      yield* readBodyLines(body, limit);
    } catch (error) {
      if (!(error instanceof BodyLimitReached)) throw error;
      limitReached = error;
      body.resume();
    }
    // The body has ended: commit what is queued now rather than wait for the ingestor's timer
    // (the flush waits for the rows queued so far, not for other callers' later rows).
    await ingestor.flush();
  }
  // Each line's result is yielded as soon as it and those before it are known, also while the
  // body is still arriving: a client sending a row at a time sees each row's outcome.
  yield* settleInOrder(lines(), (bodyLine) => resultOf(ingestor, feed, bodyLine, checks), ROWS_IN_FLIGHT);
  if (limitReached) throw limitReached;
}

type Summary = z.infer<typeof Summary> & { rejects: LineResult[] };

function emptySummary(feed: string): Summary {
  return {
    feed,
    read: 0,
    new: 0,
    corrected: 0,
    unchanged: 0,
    heldByRedress: 0,
    rejected: 0,
    refused: 0,
    rejects: [],
  };
}

/** Counts one line's result into the summary (the first REJECTS_IN_SUMMARY rejects kept whole). */
function tally(summary: Summary, result: LineResult): void {
  summary.read++;
  summary[result.outcome]++;
  if ("heldByRedress" in result) summary.heldByRedress++;
  if (
    (result.outcome === "rejected" || result.outcome === "refused") &&
    summary.rejects.length < REJECTS_IN_SUMMARY
  ) {
    summary.rejects.push(result);
  }
}

function storedOf(summary: Summary): number {
  return summary.new + summary.corrected + summary.unchanged;
}

/** How an ingest over HTTP ended: whole, cut off at the body limit, left by its caller, or failed. */
interface IngestEnding {
  readonly bodyLimitReached?: true;
  readonly callerWentAway?: true;
  readonly error?: unknown;
}

/**
 * One `feed.ingest` run around an ingest whose lines are read after the route answers (a stream):
 * `started` resolves once the run is authorized and its started entry committed (a denial rejects
 * it); `end` finishes the run — with the summary's counts as its result, or with the error — and
 * resolves once its finished entry is committed.
 */
function auditedIngest(
  access: AuditedAccess,
  feed: string,
  details: Readonly<Record<string, string | number | null>>,
  summary: Summary,
): { started: Promise<void>; end: (ending: IngestEnding) => Promise<void> } {
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => {
    begin = resolve;
  });
  let finish!: (ending: IngestEnding) => void;
  const ended = new Promise<IngestEnding>((resolve) => {
    finish = resolve;
  });
  const recorded = access.run(
    "feed.ingest",
    { type: "Feed", id: feed },
    async () => {
      begin();
      const ending = await ended;
      if (ending.error !== undefined) throw ending.error;
      return ending;
    },
    details,
    (ending) => ({
      read: summary.read,
      new: summary.new,
      corrected: summary.corrected,
      unchanged: summary.unchanged,
      heldByRedress: summary.heldByRedress,
      rejected: summary.rejected,
      refused: summary.refused,
      ...(ending.bodyLimitReached ? { bodyLimitReached: true } : {}),
      ...(ending.callerWentAway ? { callerWentAway: true } : {}),
    }),
  );
  return {
    started: Promise.race([begun, recorded.then(() => undefined)]),
    end: async (ending) => {
      finish(ending);
      await recorded;
    },
  };
}

/**
 * Rows the poster may write: a confidential record (an asylum or T/U/VAWA matter, 8 CFR 208.6,
 * 8 U.S.C. 1367) only by one with that need, as for reading it. Judged by the row's own content and
 * by every version of every record stored under its key: a row that is not itself confidential
 * would otherwise correct the protected record (or add an event under its key), lifting the
 * person's protection, and its answer (corrected, not new) would confirm the record exists. Both
 * refusals are the same issue, naming no matter, so that one for a stored record tells the poster
 * no more than one for its own row. A poster with every need is not checked against the store.
 */
function writeChecksFor(actor: Actor, feed: string): WriteChecks {
  const needs: readonly string[] = actor.confidentialityNeeds;
  const refusalOf = (flags: readonly string[]): FieldIssue | undefined =>
    flags.some((flag) => !needs.includes(flag))
      ? {
          field: "(row)",
          reason: `the row is, or is under the key of, a confidential record: writing it needs the need to know it, which ${actor.id} does not hold; nothing of it was stored`,
        }
      : undefined;
  const holdsEveryNeed = CONFIDENTIALITY_FLAGS.every((flag) => needs.includes(flag));
  return {
    admit: (fields) => refusalOf(recordConfidentialityOf(feed, fields)),
    ...(holdsEveryNeed ? {} : { admitStored: refusalOf }),
  };
}

async function resultOf(
  ingestor: RowIngestor,
  feed: string,
  bodyLine: BodyLine,
  checks: WriteChecks,
): Promise<LineResult> {
  const { line } = bodyLine;
  if ("issue" in bodyLine) return { line, outcome: "rejected", issues: [bodyLine.issue] };
  const { text } = bodyLine;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      line,
      outcome: "rejected",
      issues: [{ field: "(line)", reason: `not valid JSON: ${(error as Error).message}` }],
    };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { line, outcome: "rejected", issues: [{ field: "(line)", reason: "expected a JSON object" }] };
  }
  let result: RowIngestResult;
  try {
    result = await ingestor.ingest(feed, raw as Record<string, unknown>, { sourceRow: line, ...checks });
  } catch (error) {
    if (isPassageError(error) && error.code === "PASSAGE_ERR_INGEST_REFUSED_COLUMN") {
      return { line, outcome: "refused", column: String(error.details?.column ?? ""), reason: error.message };
    }
    throw error;
  }
  if (result.outcome === "rejected") {
    return {
      line,
      outcome: "rejected",
      issues: result.issues.map((issue) => ({ field: issue.field, reason: issue.reason })),
    };
  }
  return {
    line,
    outcome: result.outcome,
    record: `${result.feed}:${result.recordKey}`,
    version: result.version,
    warnings: result.warnings.length,
    ...(result.heldByRedress ? { heldByRedress: true as const } : {}),
  };
}

/**
 * Non-blank lines of a UTF-8 body (a leading byte order mark dropped) with their line numbers; a
 * line longer than 1 MiB, or not valid UTF-8, comes back with the issue that rejects it (a decoder
 * would have replaced its bytes with U+FFFD and the row been stored altered). Lines are split on
 * the newline byte, which no multi-byte UTF-8 character contains. Past `limit` bytes, throws
 * BodyLimitReached, leaving the body open.
 */
async function* readBodyLines(body: Readable, limit: number): AsyncGenerator<BodyLine> {
  let carry: Buffer = Buffer.alloc(0);
  let lineNumber = 0;
  let bytes = 0;
  let overlong = false;
  let atStart = true;
  const lineOf = (bytesOfLine: Buffer): BodyLine | undefined => {
    lineNumber++;
    const end = bytesOfLine.at(-1) === CARRIAGE_RETURN ? bytesOfLine.length - 1 : bytesOfLine.length;
    const content = bytesOfLine.subarray(0, end);
    if (overlong || content.length > MAX_LINE_BYTES) {
      overlong = false;
      return { line: lineNumber, issue: { field: "(line)", reason: "line longer than 1 MiB" } };
    }
    if (!isUtf8(content)) return { line: lineNumber, issue: notUtf8Issue(content) };
    const text = content.toString("utf8");
    return text.trim() === "" ? undefined : { line: lineNumber, text };
  };
  // Not the stream's own iterator, which would destroy the request when reading stops early.
  for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limit) throw new BodyLimitReached(lineNumber);
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (atStart) {
      if (data.length < UTF8_BOM.length && UTF8_BOM.subarray(0, data.length).equals(data)) {
        carry = data;
        continue;
      }
      if (data.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) data = data.subarray(UTF8_BOM.length);
      atStart = false;
    }
    let start = 0;
    for (let end = data.indexOf(NEWLINE); end !== -1; end = data.indexOf(NEWLINE, start)) {
      const bodyLine = lineOf(data.subarray(start, end));
      if (bodyLine) yield bodyLine;
      start = end + 1;
    }
    carry = data.subarray(start);
    if (carry.length > MAX_LINE_BYTES) {
      overlong = true;
      carry = Buffer.alloc(0);
    }
  }
  const last = lineOf(carry);
  if (last) yield last;
}

/** Why a line that is not UTF-8 is rejected, naming the field whose value holds the bad bytes when it can. */
function notUtf8Issue(content: Buffer): { field: string; reason: string } {
  const reason = "not valid UTF-8: holds bytes that are no UTF-8 character (the body must be UTF-8)";
  let raw: unknown;
  try {
    raw = JSON.parse(content.toString("utf8"));
  } catch {
    return { field: "(line)", reason };
  }
  const field =
    raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? Object.entries(raw).find(([key, value]) => JSON.stringify([key, value]).includes("\ufffd"))?.[0]
      : undefined;
  return { field: field ?? "(line)", reason };
}
