import { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { FEEDS, isPassageError } from "@passage/core";
import type { RowIngestor, RowIngestResult } from "@passage/engine";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ServerErrors } from "../server-errors.ts";
import { SERVER_DEFAULTS } from "../server-options.ts";
import { accessOf, type RouteContext } from "./route-context.ts";

/** Content types of a newline-delimited JSON body (one row a line). */
export const NDJSON_CONTENT_TYPES = ["application/x-ndjson", "application/ndjson", "application/jsonl"];

const MAX_LINE_BYTES = 1024 * 1024; // one row; a longer line is rejected, not buffered
const ROWS_IN_FLIGHT = 1000; // rows handed to the ingestor before the first result is awaited (group commit)
const REJECTS_IN_SUMMARY = 100;

/** What became of one line of the body. */
export type LineResult =
  | {
      line: number;
      outcome: "new" | "corrected" | "unchanged";
      record: string;
      version: number;
      warnings: number;
    }
  | { line: number; outcome: "rejected"; issues: { field: string; reason: string }[] }
  | { line: number; outcome: "refused"; column: string; reason: string };

const Summary = z.object({
  feed: z.string(),
  read: z.number(),
  new: z.number(),
  corrected: z.number(),
  unchanged: z.number(),
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
  await api.register(async (scope) => {
    // Only NDJSON here, handed over as the raw stream: JSON and text bodies get 415 unread.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(NDJSON_CONTENT_TYPES, (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/feeds/:feed/records",
      {
        bodyLimit: SERVER_DEFAULTS.feedBodyLimit,
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
        if (declared > SERVER_DEFAULTS.feedBodyLimit)
          throw ServerErrors.bodyTooLarge.create(SERVER_DEFAULTS.feedBodyLimit);
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
        await accessOf(context, request).run("feed.ingest", { type: "Feed", id: feed }, () => undefined, {
          results: request.query.results,
          contentLength: Number.isFinite(declared) ? declared : null,
        });
        const results = ingestLines(context.ingestor, feed, body);
        if (request.query.results === "lines") {
          const lines = Readable.from(
            (async function* () {
              for await (const result of results) yield `${JSON.stringify(result)}\n`;
            })(),
          );
          // A stream is sent as it is (no serializer): the 200 schema describes the summary form.
          return reply.type("application/x-ndjson").send(lines as never);
        }
        const summary = {
          feed,
          read: 0,
          new: 0,
          corrected: 0,
          unchanged: 0,
          rejected: 0,
          refused: 0,
          rejects: [] as LineResult[],
        };
        for await (const result of results) {
          summary.read++;
          summary[result.outcome]++;
          if (
            (result.outcome === "rejected" || result.outcome === "refused") &&
            summary.rejects.length < REJECTS_IN_SUMMARY
          ) {
            summary.rejects.push(result);
          }
        }
        return summary;
      },
    );
  });
}

/**
 * Reads the body line by line, hands each row to the ingestor with a bounded number in flight,
 * and yields each line's result in order as soon as it and those before it are known.
 */
export async function* ingestLines(
  ingestor: RowIngestor,
  feed: string,
  body: Readable,
): AsyncGenerator<LineResult> {
  const pending: { line: number; result: Promise<LineResult> }[] = [];
  for await (const { line, text } of readBodyLines(body)) {
    pending.push({ line, result: resultOf(ingestor, feed, line, text) });
    // A settled rejection must never go unobserved while it waits its turn.
    pending.at(-1)!.result.catch(() => undefined);
    while (pending.length >= ROWS_IN_FLIGHT) yield await pending.shift()!.result;
  }
  // The body has ended: commit whatever is queued now rather than wait for the ingestor's timer.
  // (This also covers rows queued in the instant a batch finished draining, which the ingestor
  // would otherwise leave waiting for a next row: see the closing note of the HTTP work.)
  await ingestor.flush();
  while (pending.length > 0) yield await pending.shift()!.result;
}

async function resultOf(
  ingestor: RowIngestor,
  feed: string,
  line: number,
  text: string | undefined,
): Promise<LineResult> {
  if (text === undefined)
    return { line, outcome: "rejected", issues: [{ field: "(line)", reason: "line longer than 1 MiB" }] };
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
    result = await ingestor.ingest(feed, raw as Record<string, unknown>, { sourceRow: line });
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
  };
}

/** Non-blank lines of a UTF-8 body with their line numbers; an over-long line comes back without text. */
async function* readBodyLines(body: Readable): AsyncGenerator<{ line: number; text: string | undefined }> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let lineNumber = 0;
  let bytes = 0;
  let overlong = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > SERVER_DEFAULTS.feedBodyLimit) {
      body.destroy();
      throw ServerErrors.bodyTooLarge.create(SERVER_DEFAULTS.feedBodyLimit);
    }
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      lineNumber++;
      const line = text.slice(start, end).replace(/\r$/, "");
      if (overlong) yield { line: lineNumber, text: undefined };
      else if (line.trim() !== "") yield { line: lineNumber, text: line };
      overlong = false;
      start = end + 1;
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_BYTES) {
      overlong = true;
      carry = "";
    }
  }
  carry += decoder.end();
  lineNumber++;
  if (overlong) yield { line: lineNumber, text: undefined };
  else if (carry.trim() !== "") yield { line: lineNumber, text: carry.replace(/\r$/, "") };
}
