import { REDRESS_STATUSES } from "@passage/store";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, type RouteContext } from "./route-context.ts";
import { IsoDate, NoBody } from "./route-schemas.ts";

const Json = z.record(z.string(), z.unknown());
const RequestId = z.object({ requestId: z.string().min(1).max(100) });
const ShortText = z.string().trim().min(1).max(100);

/** A document reference: what it is, its number, who issued it. Never the document itself. */
const DocumentReference = z.strictObject({ type: ShortText, number: ShortText, issuer: ShortText });

const Correction = z.strictObject({
  feed: z.string().min(1).max(40),
  row: z.record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])),
});

/**
 * Redress (issue 6): a person wrongly recorded asks for a correction. JSON only — the routes take
 * document references (type, number, issuer), never uploaded scans: any other content type is
 * answered 415 unread. Filing a citizenship claim blocks every action on the person at once;
 * resolution writes correction records and re-derives everything that depends on them.
 */
export async function registerRedressRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { redress } = context.app;

  typed.get(
    "/redress",
    {
      config: { access: { action: "redress.read" } },
      schema: {
        summary: "Redress requests the caller may see, newest first",
        tags: ["redress"],
        querystring: z.object({
          status: z.enum(REDRESS_STATUSES).optional(),
          personId: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
        }),
        response: { 200: z.object({ requests: z.array(Json) }) },
      },
    },
    async (request) => ({
      requests: (await redress.list(accessOf(context, request), request.query)).map((row) => ({ ...row })),
    }),
  );

  typed.post(
    "/redress",
    {
      config: { access: { action: "redress.file" } },
      schema: {
        summary:
          "Files a redress request with references to its documents (a citizenship claim blocks action at once)",
        tags: ["redress"],
        body: z.strictObject({
          personId: z.string().trim().min(1).max(200),
          kind: z.enum(["citizenship", "not_my_record", "departed", "other"]),
          statement: z.string().trim().min(1).max(4000),
          departureDate: IsoDate.optional(),
          disputedRecords: z.array(z.string().min(3).max(250)).max(50).optional(),
          documents: z.array(DocumentReference).max(20).default([]),
        }),
        response: { 201: Json },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ ...(await redress.file(accessOf(context, request), request.body)) }),
  );

  typed.get(
    "/redress/:requestId",
    {
      config: { access: { action: "redress.read" } },
      schema: {
        summary: "One request with every step of its history and its time to resolution",
        tags: ["redress"],
        params: RequestId,
        response: { 200: Json },
      },
    },
    async (request) => ({ ...(await redress.show(accessOf(context, request), request.params.requestId)) }),
  );

  typed.post(
    "/redress/:requestId/review",
    {
      config: { access: { action: "redress.decide" } },
      schema: {
        summary: "A data steward takes the request into review",
        tags: ["redress"],
        params: RequestId,
        body: NoBody,
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await redress.startReview(accessOf(context, request), request.params.requestId)),
    }),
  );

  typed.post(
    "/redress/:requestId/resolve",
    {
      config: { access: { action: "redress.decide" } },
      schema: {
        summary:
          "Resolves the request: correction records, unlinks or cannot-link decisions (granted), or a reason (denied, withdrawn); re-derives dependents",
        tags: ["redress"],
        params: RequestId,
        body: z.strictObject({
          outcome: z.enum(["granted", "denied", "withdrawn"]),
          reason: z.string().trim().min(1).max(4000),
          corrections: z.array(Correction).max(50).optional(),
          citizenship: z
            .strictObject({
              effectiveDate: IsoDate,
              certificateId: z.string().trim().min(1).max(100).optional(),
              dateOfBirth: IsoDate.optional().describe(
                "The date of birth on the verified document; the person's own when absent (required when none of the person's records has one)",
              ),
            })
            .optional(),
          unlinks: z.array(z.string().min(3).max(250)).max(50).optional(),
          cannotLink: z
            .array(z.strictObject({ left: z.string().min(3).max(250), right: z.string().min(3).max(250) }))
            .max(50)
            .optional(),
        }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await redress.resolve(accessOf(context, request), request.params.requestId, request.body)),
    }),
  );
}
