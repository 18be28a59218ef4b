import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isPassageError } from "@passage/core";
import { WORKLIST_HISTORY_PAGE_SIZES, WORKLIST_PAGE_SIZES } from "@passage/engine";
import { diffPolicies, loadPolicyOrThrow } from "@passage/policy";
import { findActivePolicyVersion } from "@passage/store";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accessOf, type RouteContext } from "./route-context.ts";

const Json = z.record(z.string(), z.unknown());
const MAX_POLICY_TEXT = 256 * 1024; // a policy file is a few kilobytes; 256 KiB is generous
const PolicyText = z.strictObject({
  text: z.string().min(1).max(MAX_POLICY_TEXT).describe("The policy YAML, verbatim"),
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
    .optional()
    .describe("The name it is stored and reported under (default policy.yaml)"),
});

/**
 * The engine's policy operations take a file (what `passage policy` reads); an API body is
 * written to a private temporary file under the name it was given, used once, then removed, so
 * both interfaces share one audited code path.
 */
async function withPolicyFile<T>(
  body: z.infer<typeof PolicyText>,
  work: (file: string) => Promise<T>,
): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), "passage-policy-"));
  const file = path.join(directory, body.fileName ?? "policy.yaml");
  try {
    await writeFile(file, body.text, { mode: 0o600 });
    return await work(file);
  } catch (error) {
    // The caller named the file, not the server's temporary directory: the error says only its name.
    const prefix = `${directory}${path.sep}`;
    if (error instanceof Error) error.message = error.message.replaceAll(prefix, "");
    if (isPassageError(error) && error.details) {
      Object.assign(error, { details: JSON.parse(JSON.stringify(error.details).replaceAll(prefix, "")) });
    }
    throw error;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Worklists (list, filter by tier, paged; explanation; ranking history; supervisor override) and policies (list, check, diff, dry-run, activate). */
export async function registerWorklistRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { worklist } = context.app;
  const { db } = context.app.store;

  typed.get(
    "/worklist",
    {
      config: { access: { action: "worklist.read" } },
      schema: {
        summary: "The worklist: actionable cases by effective tier then age, paged",
        tags: ["worklist"],
        querystring: z.object({
          tier: z.coerce.number().int().min(1).max(1000).optional(),
          page: z.coerce.number().int().min(1).max(1_000_000).optional(),
          pageSize: z.coerce.number().int().min(1).max(WORKLIST_PAGE_SIZES.max).optional(),
          office: z
            .string()
            .max(64)
            .optional()
            .describe(
              "Only this office's cases (listed, counted, paged); an unknown office is refused (PASSAGE_ERR_WORKLIST_OFFICE_UNKNOWN). Absent: every case the reader may read",
            ),
        }),
        response: { 200: Json },
      },
    },
    async (request) => ({ ...(await worklist.list(accessOf(context, request), request.query)) }),
  );

  typed.get(
    "/worklist/:personId/explanation",
    {
      config: { access: { action: "worklist.read" } },
      schema: {
        summary:
          "Why a case is on the worklist at its tier: gates, rules that fired, evidence, replay, overrides",
        tags: ["worklist"],
        params: z.object({ personId: z.string().min(1).max(200) }),
        querystring: z.object({ office: z.string().max(64).optional() }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await worklist.explain(accessOf(context, request), request.params.personId, request.query.office)),
    }),
  );

  typed.get(
    "/worklist/:personId/history",
    {
      config: { access: { action: "worklist.read" } },
      schema: {
        summary:
          "A person's past rankings and removals, newest first, paged: policy, tier, stored explanation (replayed), why it left",
        description:
          "Authorized and redacted as the explanation is: a reader refused the person's status is refused; a reader without the asylum/1367 need sees each explanation without the confidential matters.",
        tags: ["worklist"],
        params: z.object({ personId: z.string().min(1).max(200) }),
        querystring: z.object({
          page: z.coerce.number().int().min(1).max(1_000_000).optional(),
          pageSize: z.coerce.number().int().min(1).max(WORKLIST_HISTORY_PAGE_SIZES.max).optional(),
          office: z.string().max(64).optional(),
        }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await worklist.history(accessOf(context, request), request.params.personId, request.query)),
    }),
  );

  typed.post(
    "/worklist/:personId/override",
    {
      config: { access: { action: "worklist.override" } },
      schema: {
        summary: "A supervisor's override of a policy outcome (never a gate), with a reason; audited",
        tags: ["worklist"],
        params: z.object({ personId: z.string().min(1).max(200) }),
        body: z.strictObject({
          tier: z.number().int().min(1).max(1000),
          reason: z.string().trim().min(1).max(2000),
          expected: z
            .strictObject({ policyDigest: z.string().min(1).max(200), tier: z.number().int() })
            .optional(),
          office: z.string().max(64).optional(),
        }),
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await worklist.override(accessOf(context, request), {
        personId: request.params.personId,
        ...request.body,
      })),
    }),
  );

  typed.get(
    "/policies",
    {
      config: { access: { action: "policy.read" } },
      schema: {
        summary: "Every stored policy version (the active one marked) and the activation history",
        tags: ["policies"],
        response: { 200: z.object({ versions: z.array(Json), activations: z.array(Json) }) },
      },
    },
    async (request) => {
      await db.transaction().execute((transaction) => worklist.policies.ensureActive(transaction));
      const listed = await worklist.listPolicies(accessOf(context, request));
      return {
        versions: listed.versions.map((version) => ({ ...version })),
        activations: listed.activations.map((activation) => ({ ...activation })),
      };
    },
  );

  typed.post(
    "/policies/check",
    {
      config: { access: { action: "policy.read" } },
      schema: {
        summary: "Validates a policy: every problem with its line, rule and field",
        tags: ["policies"],
        body: PolicyText,
        response: { 200: Json },
      },
    },
    async (request) => {
      const fileName = request.body.fileName ?? "policy.yaml";
      return accessOf(context, request).run("policy.read", { type: "Policy", id: fileName }, () => {
        try {
          const policy = loadPolicyOrThrow(request.body.text, fileName);
          const { id, version, effective, rules, tiers } = policy.definition;
          return {
            valid: true,
            id,
            version,
            digest: policy.digest,
            effective,
            rules: rules.length,
            tiers: tiers.length,
            problems: [],
          };
        } catch (error) {
          if (!isPassageError(error) || error.code !== "PASSAGE_ERR_POLICY_INVALID") throw error;
          return { valid: false, problems: (error.details?.problems ?? []) as unknown[] };
        }
      });
    },
  );

  typed.post(
    "/policies/diff",
    {
      config: { access: { action: "policy.read" } },
      schema: {
        summary: "What changed from policy A (default: the active one) to policy B",
        tags: ["policies"],
        body: z.strictObject({ before: PolicyText.optional(), after: PolicyText }),
        response: { 200: Json },
      },
    },
    async (request) =>
      accessOf(context, request).run("policy.read", { type: "Policy", id: "diff" }, async () => {
        const active = request.body.before ? undefined : await findActivePolicyVersion(db);
        const before = request.body.before
          ? loadPolicyOrThrow(request.body.before.text, request.body.before.fileName ?? "before.yaml")
          : active
            ? worklist.policies.compile(active)
            : (await db.transaction().execute((transaction) => worklist.policies.ensureActive(transaction)))
                .policy;
        const after = loadPolicyOrThrow(request.body.after.text, request.body.after.fileName ?? "after.yaml");
        return { ...diffPolicies(before, after) };
      }),
  );

  typed.post(
    "/policies/dry-run",
    {
      config: { access: { action: "policy.dry_run" } },
      schema: {
        summary:
          "How many actionable cases would change tier under this policy against the active one (applies nothing)",
        tags: ["policies"],
        body: PolicyText,
        response: { 200: Json },
      },
    },
    async (request) => ({
      ...(await withPolicyFile(request.body, (file) =>
        worklist.dryRunPolicyFile(accessOf(context, request), file),
      )),
    }),
  );

  typed.post(
    "/policies/activate",
    {
      config: { access: { action: "policy.write" } },
      schema: {
        summary: "Stores a policy and makes it the active one; the worklist is re-evaluated (audited)",
        description:
          "The reason is published in the oversight report: one naming a person id, an A-number or a receipt number is refused (PASSAGE_ERR_POLICY_REASON_NAMES_CASE).",
        tags: ["policies"],
        body: PolicyText.extend({
          reason: z.string().trim().min(1).max(2000),
          outsideEffectiveDates: z
            .boolean()
            .optional()
            .describe(
              "Activate a policy whose effective dates do not cover today (refused otherwise: PASSAGE_ERR_POLICY_NOT_IN_EFFECT)",
            ),
        }),
        response: { 200: Json },
      },
    },
    async (request) => {
      const result = await withPolicyFile(request.body, (file) =>
        worklist.activatePolicyFile(accessOf(context, request), file, request.body.reason, {
          outsideEffectiveDates: request.body.outsideEffectiveDates === true,
        }),
      );
      const { text: _text, ...policy } = result.policy;
      return { ...result, policy };
    },
  );
}
