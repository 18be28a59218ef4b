import {
  type Actor,
  auditEntryViewFor,
  decodeAuditEntryOrThrow,
  leafHash,
  rawAuditContentViewFor,
  readCheckpointFiles,
  searchColumnsProblem,
} from "@passage/access";
import type { StoredAuditRow } from "@passage/store";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, actorOf, type RouteContext } from "./route-context.ts";
import { NoBody } from "./route-schemas.ts";

const Json = z.record(z.string(), z.unknown());
const AUDIT_LOG = { type: "AuditLog", id: "audit-log" } as const;

/**
 * An entry as listed: its decoded fields and leaf hash. An entry that no longer decodes, whose
 * content does not match the leaf hash recorded when it was written, or whose search columns
 * (actor, resource) disagree with its content, is listed too, marked `tampered` with the problem
 * (and, undecodable, its raw content): one altered row must neither hide the page around it nor
 * pass as intact. What would tell a reader without the need that a record is an asylum or 1367 case
 * is withheld (`auditEntryViewFor`); the leaf hash stays that of the stored entry.
 */
function listedEntryOf(row: StoredAuditRow, reader: Actor): Record<string, unknown> {
  const recorded = row.leafHash.toString("hex");
  const altered = !leafHash(row.content).equals(row.leafHash);
  const problem = altered
    ? `entry ${row.sequence}'s content does not match the leaf hash recorded when it was written (altered)`
    : searchColumnsProblem(row);
  try {
    const entry = auditEntryViewFor(decodeAuditEntryOrThrow(row.content), reader);
    return problem
      ? { ...entry, leafHash: recorded, tampered: true, problem }
      : { ...entry, leafHash: recorded };
  } catch (error) {
    return {
      index: row.sequence,
      leafHash: recorded,
      tampered: true,
      problem: problem ?? `entry ${row.sequence} is not a canonical audit entry: ${(error as Error).message}`,
      content: rawAuditContentViewFor(row.content.toString("utf8"), reader),
    };
  }
}

/** The audit log for auditors: entries, verification, signed checkpoints, inclusion proofs. */
export async function registerAuditRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { audit, auditRepository } = context.app.access;

  typed.get(
    "/audit/entries",
    {
      config: { access: { action: "audit.read" } },
      schema: {
        summary:
          "Audit entries, newest first, optionally by actor or resource (page backwards with `before`)",
        tags: ["audit"],
        querystring: z.object({
          actor: z.string().min(1).max(200).optional(),
          resourceType: z.string().min(1).max(100).optional(),
          resourceId: z.string().min(1).max(300).optional(),
          before: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ size: z.number(), entries: z.array(Json) }) },
      },
    },
    async (request) =>
      accessOf(context, request).run(
        "audit.read",
        AUDIT_LOG,
        async () => {
          await audit.flush();
          const rows = await auditRepository.findEntries(request.query);
          return {
            size: await auditRepository.recordedSize(),
            entries: rows.map((row) => listedEntryOf(row, actorOf(request))),
          };
        },
        { actor: request.query.actor ?? null, resourceId: request.query.resourceId ?? null },
      ),
  );

  typed.get(
    "/audit/verification",
    {
      config: { access: { action: "audit.verify" } },
      schema: {
        summary: "Verifies the whole log against its signed checkpoints; names the first bad entry",
        tags: ["audit"],
        response: { 200: Json },
      },
    },
    async (request) =>
      accessOf(context, request).run("audit.verify", AUDIT_LOG, async () => {
        await audit.flush();
        return { ...(await audit.verify()) };
      }),
  );

  typed.get(
    "/audit/checkpoints",
    {
      config: { access: { action: "audit.read" } },
      schema: {
        summary: "The signed checkpoints written outside the database, and the log's size",
        tags: ["audit"],
        response: {
          200: z.object({ size: z.number(), checkpoints: z.array(Json), problems: z.array(Json) }),
        },
      },
    },
    async (request) =>
      accessOf(context, request).run("audit.read", AUDIT_LOG, async () => {
        const { checkpoints, problems } = readCheckpointFiles(audit.paths.checkpoints);
        return {
          size: await auditRepository.recordedSize(),
          checkpoints: checkpoints.map((source) => ({ ...source.checkpoint })),
          problems: problems.map((problem) => ({ ...problem })),
        };
      }),
  );

  typed.post(
    "/audit/checkpoints",
    {
      config: { access: { action: "audit.checkpoint" } },
      schema: {
        summary: "Signs a checkpoint now (into the database and a file outside it)",
        tags: ["audit"],
        body: NoBody,
        response: { 200: z.object({ checkpoint: Json.nullable() }) },
      },
    },
    async (request) =>
      accessOf(context, request).run("audit.checkpoint", AUDIT_LOG, async () => {
        await audit.flush();
        const checkpoint = await audit.checkpoint();
        return { checkpoint: checkpoint ? { ...checkpoint } : null };
      }),
  );

  typed.get(
    "/audit/entries/:index/proof",
    {
      config: { access: { action: "audit.read" } },
      schema: {
        summary: "RFC 9162 inclusion proof of one entry against the latest signed checkpoint",
        tags: ["audit"],
        params: z.object({ index: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: Json },
      },
    },
    async (request) =>
      accessOf(context, request).run(
        "audit.read",
        AUDIT_LOG,
        async () => {
          const proof = await audit.prove(request.params.index);
          return { ...proof, entry: auditEntryViewFor(proof.entry, actorOf(request)) };
        },
        { proof: request.params.index },
      ),
  );
}
