import type { OutgoingHttpHeaders } from "node:http";
import {
  createDepartureChangeFeed,
  DEPARTURE_RANGE,
  type DepartureChangeFeed,
  type DepartureDashboard,
  departureDashboard,
  departureRangeOf,
  departureRangeProblem,
  readDepartureDashboard,
} from "@passage/engine";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, PURPOSE_HEADER, type RouteContext } from "./route-context.ts";
import { IsoDate } from "./route-schemas.ts";

/** A comment line now and then, so proxies and browsers keep a quiet stream open. */
const HEARTBEAT_MS = 20_000;
/**
 * A stream ends after this long and the browser's EventSource reconnects: the reconnection checks
 * the session again (a revoked user stops receiving) and is a new audited read.
 */
const STREAM_LIFETIME_MS = 10 * 60 * 1000;
/** What EventSource waits before reconnecting (the SSE `retry` field). */
const RECONNECT_MS = 3_000;

const QueryFields = z.object({
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  hours: z.coerce.number().int().min(1).max(168).default(DEPARTURE_RANGE.defaultHours),
});

/**
 * The engine's range checks (`departureRangeProblem`, also those of `passage departures metrics`)
 * apply to the range the document covers, its defaults filled in (`departureRangeOf`): a `from`
 * after today with no `to` is refused too, not answered with a range that ends before it begins.
 */
function withRangeChecks<Fields extends typeof QueryFields>(fields: Fields) {
  // Only once both dates are real: a date that does not exist is refused by its own field's check
  // (run on it, the range arithmetic threw, a 500).
  const whenDatesAreValid = {
    when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0,
  };
  return fields
    .refine((query) => departureRangeProblem(departureRangeOf(query)) !== "from_after_to", {
      message: "from must not be after to",
      ...whenDatesAreValid,
    })
    .refine((query) => departureRangeProblem(departureRangeOf(query)) !== "too_long", {
      message: `at most ${DEPARTURE_RANGE.maxDays} days`,
      ...whenDatesAreValid,
    });
}

const Query = withRangeChecks(QueryFields);
type DashboardQuery = z.infer<typeof Query>;

/**
 * The stream's query also takes the purpose of use: a browser's EventSource cannot send headers,
 * so without it every stream opened in the UI was audited as "(none stated)". The header wins
 * when both are given; the access layer checks it as it checks the header's.
 */
const StreamQuery = withRangeChecks(QueryFields.extend({ purpose: z.string().optional() }));

/** Puts a stream's `?purpose=` where every audited read looks for it, unless a header stated one. */
async function purposeFromQuery(request: FastifyRequest): Promise<void> {
  const stated = (request.query as { purpose?: unknown } | undefined)?.purpose;
  if (request.headers[PURPOSE_HEADER] === undefined && typeof stated === "string" && stated.trim()) {
    request.headers[PURPOSE_HEADER] = stated;
  }
}

const Distribution = z.object({
  count: z.number(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
/** The departures dashboard document: counts and durations only — no person, no name, no place. */
const DepartureDashboardSchema = z.object({
  generatedAt: z.string(),
  from: z.string(),
  to: z.string(),
  hours: z.object({ since: z.string(), until: z.string() }),
  confirmationsPerHour: z.array(z.object({ hour: z.string(), tier: z.string(), count: z.number() })),
  perDay: z.array(
    z.object({ date: z.string(), tier: z.string(), evidenceKind: z.string(), count: z.number() }),
  ),
  claimedNeverCorroborated: z.number(),
  claimedCorroborated: z.number(),
  daysToDeparture: z.object({ fromFinalOrder: Distribution, fromVoluntaryDepartureGrant: Distribution }),
  overstays: z.object({ inCountry: z.number(), outOfCountry: z.number(), departureClaimed: z.number() }),
});
export type DepartureDashboardDocument = z.infer<typeof DepartureDashboardSchema>;

/**
 * The departures dashboard (issue 7, ARCHITECTURE.md "Interfaces"): the engine's departure
 * metrics as one JSON document, and the same document pushed as server-sent events whenever the
 * lifecycle projection commits status changes. Aggregates only, for the roles holding
 * `departure_metrics.read`; every read — each stream's opening included — is audited.
 */
export async function registerDepartureRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { store } = context.app;
  // The rules the statuses are derived with decide each departure's tier and corroboration.
  const { rules } = context.app.lifecycle;
  const changes: DepartureChangeFeed = createDepartureChangeFeed({ store });
  const streams = new Set<() => void>();

  // The engine builds the document; `passage departures metrics` prints the same one.
  const build = (query: DashboardQuery): Promise<DepartureDashboard> =>
    departureDashboard(store.db, departureRangeOf(query), rules, { hours: query.hours });

  // Streams end before the server stops taking requests, so closing never waits on a browser.
  api.addHook("preClose", async () => {
    for (const end of [...streams]) end();
    await changes.close();
  });

  typed.get(
    "/departures/metrics",
    {
      config: { access: { action: "departure_metrics.read" } },
      schema: {
        summary:
          "Departure figures: confirmations per hour by evidence tier, departures per day, claims corroborated or not, overstays, days from order or VD grant to departure",
        tags: ["departures"],
        querystring: Query,
        response: { 200: DepartureDashboardSchema },
      },
    },
    async (request) => readDepartureDashboard(accessOf(context, request), store.db, rules, request.query),
  );

  typed.get(
    "/departures/stream",
    {
      config: { access: { action: "departure_metrics.read" } },
      schema: {
        summary:
          "The departures metrics document as server-sent events (text/event-stream, event `metrics`): one at once, another whenever statuses change",
        tags: ["departures"],
        querystring: StreamQuery,
        produces: ["text/event-stream"],
      },
      onRequest: purposeFromQuery,
    },
    async (request, reply) => {
      const query = request.query;
      // The opening is the audited read; later documents are the same read kept current.
      const first = await readDepartureDashboard(accessOf(context, request), store.db, rules, {
        ...query,
        stream: true,
      });
      openEventStream(reply);
      let ended = false;
      let unsubscribe: (() => void) | undefined;
      const send = (event: string, data: unknown) => {
        if (!ended) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const heartbeat = setInterval(() => reply.raw.write(": keep-alive\n\n"), HEARTBEAT_MS);
      const lifetime = setTimeout(() => end(), STREAM_LIFETIME_MS);
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        unsubscribe?.();
        streams.delete(end);
        if (!reply.raw.writableEnded) reply.raw.end();
      };
      streams.add(end);
      // The response closes when the client goes away (or after end()): the stream is dropped then.
      reply.raw.on("close", end);
      reply.raw.on("error", end);
      reply.raw.write(`retry: ${RECONNECT_MS}\n\n`);
      send("metrics", first);

      let sending: Promise<void> = Promise.resolve();
      let wanted = 0;
      let sent = 0;
      const onChange = (generation: number) => {
        wanted = generation;
        // One build at a time per stream; a change during a build is picked up by the next one.
        sending = sending.then(async () => {
          if (sent >= wanted || ended) return;
          sent = wanted;
          try {
            send("metrics", await build(query));
          } catch (error) {
            request.log.warn({ error: (error as Error).message }, "departures stream: metrics failed");
          }
        });
      };
      try {
        const stop = await changes.subscribe(onChange);
        if (ended) stop();
        else unsubscribe = stop;
      } catch (error) {
        request.log.warn({ error: (error as Error).message }, "departures stream: cannot watch changes");
        end();
      }
      if (reply.raw.destroyed) end();
    },
  );
}

/** Takes the response over from Fastify and starts an event stream, keeping the security headers. */
function openEventStream(reply: FastifyReply): void {
  reply.hijack();
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = value;
  }
  reply.raw.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // Tells a buffering reverse proxy (nginx) to pass each event on at once.
    "x-accel-buffering": "no",
  });
  reply.raw.flushHeaders();
}
