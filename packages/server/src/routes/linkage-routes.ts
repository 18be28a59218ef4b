import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, type RouteContext } from "./route-context.ts";

const Json = z.record(z.string(), z.unknown());
const RecordReference = z.string().min(3).max(250).describe("A record as FEED:KEY");
const Reason = z.string().trim().min(1).max(2000);

/**
 * Record linkage over HTTP (issue 3, served here): person search by name (fuzzy) or document
 * number, a person's links with their explanations, pair explanations, the review queue and its
 * decisions, must-link / cannot-link decisions and unlinking. Every call goes through linkage's
 * service with the request's audited access (`person.read`, `link.read`, `link.decide`).
 */
export async function registerLinkageRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { linkage } = context.app;

  typed.get(
    "/persons",
    {
      config: { access: { action: "person.read" } },
      schema: {
        summary: "Person search: by name (fuzzy, transliterated, variant-aware) or by document number",
        tags: ["persons"],
        querystring: z.object({
          q: z
            .string()
            .trim()
            .min(2)
            .max(200)
            .describe("A name, or a document number (A-number, passport, I-94, receipt)"),
          limit: z.coerce.number().int().min(1).max(100).optional(),
          minimumSimilarity: z.coerce.number().min(0).max(1).optional(),
        }),
        response: { 200: z.object({ persons: z.array(Json) }) },
      },
    },
    async (request) => ({
      persons: (
        await linkage.searchPersons(accessOf(context, request), {
          text: request.query.q,
          limit: request.query.limit,
          minimumSimilarity: request.query.minimumSimilarity,
        })
      ).map((result) => ({ ...result })),
    }),
  );

  typed.get(
    "/persons/:personId/links",
    {
      config: { access: { action: "link.read" } },
      schema: {
        summary:
          "A person's records, the links that hold them together (with weights), decisions and identity issues",
        tags: ["linkage"],
        params: z.object({ personId: z.string().min(1).max(200) }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await linkage.personLinks(accessOf(context, request), request.params.personId)),
    }),
  );

  typed.get(
    "/links/explanation",
    {
      config: { access: { action: "link.read" } },
      schema: {
        summary: "Any pair of records explained field by field by the active model",
        tags: ["linkage"],
        querystring: z.object({ left: RecordReference, right: RecordReference }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await linkage.explainPair(accessOf(context, request), request.query.left, request.query.right)),
    }),
  );

  typed.post(
    "/links/decisions",
    {
      config: { access: { action: "link.decide" } },
      schema: {
        summary: "A human decision on a pair of records: must_link or cannot_link, with a reason",
        tags: ["linkage"],
        body: z.strictObject({
          left: RecordReference,
          right: RecordReference,
          decision: z.enum(["must_link", "cannot_link"]),
          reason: Reason,
        }),
        response: { 200: Json },
      },
    },
    async (request) => {
      const { left, right, decision, reason } = request.body;
      return { ...(await linkage.decidePair(accessOf(context, request), left, right, { decision, reason })) };
    },
  );

  typed.get(
    "/reviews",
    {
      config: { access: { action: "link.read" } },
      schema: {
        summary: "The link review queue (uncertain pairs), most probable first",
        tags: ["linkage"],
        querystring: z.object({
          status: z.enum(["open", "closed", "all"]).optional(),
          personId: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
        }),
        response: { 200: z.object({ reviews: z.array(Json) }) },
      },
    },
    async (request) => ({
      reviews: (await linkage.listReviews(accessOf(context, request), request.query)).map((item) => ({
        ...item,
      })),
    }),
  );

  typed.get(
    "/reviews/:reviewId",
    {
      config: { access: { action: "link.read" } },
      schema: {
        summary: "One review item with the pair's explanation",
        tags: ["linkage"],
        params: z.object({ reviewId: z.string().regex(/^\d{1,18}$/) }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await linkage.showReview(accessOf(context, request), request.params.reviewId)),
    }),
  );

  typed.post(
    "/reviews/:reviewId/decision",
    {
      config: { access: { action: "link.decide" } },
      schema: {
        summary: "Decides a review item: accept (one person), reject (cannot-link) or unsure (escalate)",
        tags: ["linkage"],
        params: z.object({ reviewId: z.string().regex(/^\d{1,18}$/) }),
        body: z.strictObject({ outcome: z.enum(["accept", "reject", "unsure"]), reason: Reason }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await linkage.decideReview(accessOf(context, request), request.params.reviewId, request.body)),
    }),
  );

  typed.post(
    "/records/:feed/:key/unlink",
    {
      config: { access: { action: "link.decide" } },
      schema: {
        summary: "Takes a record out of its person (linked again on its own merits; the person re-forms)",
        tags: ["linkage"],
        params: z.object({ feed: z.string().min(1).max(40), key: z.string().min(1).max(200) }),
        body: z.strictObject({ reason: Reason }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await linkage.unlinkRecord(
        accessOf(context, request),
        `${request.params.feed}:${request.params.key}`,
        {
          reason: request.body.reason,
        },
      )),
    }),
  );
}
