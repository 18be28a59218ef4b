import path from "node:path";
import type { AccessResource, AuditedAccess } from "@passage/access";
import type { RecordCitation } from "@passage/core";
import {
  addCasesYielding,
  type CaseExplanation,
  createDryRun,
  type DryRunResult,
  isPolicyInEffect,
  type Policy,
  type ReplayResult,
  replayExplanation,
  type TierChange,
} from "@passage/policy";
import {
  findCaseAttributes,
  findKnownOffices,
  findPolicyVersionByDigest,
  findWorklistEntry,
  insertWorklistOverride,
  listPolicyActivations,
  listPolicyVersions,
  listWorklistEntries,
  listWorklistHistory,
  listWorklistOverrides,
  type PolicyActivationRow,
  type PolicyVersionRow,
  personExists,
  recordWorklistEntryInForce,
  type SqlExecutor,
  type Store,
  type WorklistHistoryRow,
} from "@passage/store";
import { confidentialReaderFor } from "../lifecycle/confidential-reader.ts";
import { flaggedRecordKey, WITHHELD_RULE_PREFIX } from "../lifecycle/confidential-redaction.ts";
import { todayUtc } from "../lifecycle/lifecycle-service.ts";
import { caseResource, personsPassing } from "../linkage/linkage-access.ts";
import { caseIdentifierIn } from "./activation-reason.ts";
import {
  createPolicyVersions,
  type LoadedPolicy,
  type PolicyVersions,
  readPolicyFileOrThrow,
} from "./policy-versions.ts";
import { WorklistErrors } from "./worklist-errors.ts";
import {
  createWorklistProjection,
  type WorklistProjection,
  type WorklistUpdate,
} from "./worklist-projection.ts";
import {
  type ShownExplanation,
  type ShownOverride,
  type ShownWorklistEntry,
  shownEntry,
  type WorklistRedaction,
  worklistRedactionFor,
} from "./worklist-redaction.ts";

/** The longest a dry run evaluates cases before it lets the event loop run (milliseconds). */
export const DRY_RUN_SLICE_MS = 20;

/** Default and largest page sizes of the worklist API. */
export const WORKLIST_PAGE_SIZES = { default: 50, max: 1000 } as const;

/** Default and largest page sizes of a person's ranking history (each row is replayed). */
export const WORKLIST_HISTORY_PAGE_SIZES = { default: 20, max: 100 } as const;

export interface WorklistPageQuery {
  /** Only this effective tier (an override's tier, else the policy's). */
  readonly tier?: number | undefined;
  /** 1-based page number (default 1). */
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
  /**
   * The office whose worklist is read: only the cases assigned to it are listed, counted and
   * paged (an office no user works in and no case is assigned to is refused). Absent: every case
   * the reader may read, authorized and audited as the worklist of the reader's own office.
   */
  readonly office?: string | undefined;
}

/**
 * A worklist entry as a reader sees it, with the label of the tier it is shown in: `tier` and
 * `tierLabel` are the policy's, `effectiveTier` and `effectiveTierLabel` the tier in force (a
 * supervisor's override when one holds, else the policy's).
 */
export type LabelledWorklistEntry = ShownWorklistEntry & { readonly effectiveTierLabel: string };

export interface WorklistPage {
  /** The policy the worklist was ranked by, with its tiers (what a tier filter offers). */
  readonly policy: {
    readonly id: string;
    readonly version: string;
    readonly digest: string;
    readonly tiers: readonly { readonly tier: number; readonly label: string }[];
  };
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly entries: readonly LabelledWorklistEntry[];
}

/**
 * One entry explained: the stored explanation, its exact replay, and the override history. For
 * a reader without `person.field.confidential` on the person, the explanation (here and in the
 * entry) is without the confidential matters, as the status read is: no citation of a flagged
 * record, no raw facts (`inputs` is null), no ranking rule resting on a flagged record by name, and
 * on a case with a flagged record no override reason (null).
 */
export interface WorklistEntryExplanation {
  readonly entry: LabelledWorklistEntry;
  readonly explanation: ShownExplanation;
  /** The stored explanation recomputed from its own inputs with the policy it names. */
  readonly replay: Pick<ReplayResult, "identical" | "differences">;
  readonly overrides: readonly ShownOverride[];
}

/**
 * One row of a person's ranking history as a reader sees it: the explanation through the same
 * redaction as `explain` (null on a removal that kept none), and its exact replay with the policy
 * it names (null without an explanation).
 */
export type ShownWorklistHistoryEntry = Omit<WorklistHistoryRow, "explanation"> & {
  /** The label of `effectiveTier` in the policy the row was ranked by; null on a removal. */
  readonly effectiveTierLabel: string | null;
  readonly explanation: ShownExplanation | null;
  readonly replay: Pick<ReplayResult, "identical" | "differences"> | null;
};

export interface WorklistHistoryPage {
  readonly personId: string;
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  /** Newest first. */
  readonly entries: readonly ShownWorklistHistoryEntry[];
}

export interface OverrideRequest {
  readonly personId: string;
  readonly tier: number;
  readonly reason: string;
  /** Optimistic check: the policy digest and tier the supervisor saw. */
  readonly expected?: { readonly policyDigest: string; readonly tier: number } | undefined;
  readonly office?: string | undefined;
}

/** The worklist bounded context as the HTTP layer and the CLI call it; every call is authorized and audited. */
export interface WorklistService {
  readonly policies: PolicyVersions;
  readonly projection: WorklistProjection;
  /** Stored policy versions and the activation history (`policy.read`). */
  listPolicies(
    access: AuditedAccess,
  ): Promise<{ versions: PolicyVersionRow[]; activations: PolicyActivationRow[] }>;
  /** Stores a policy file and makes it the active policy, re-evaluating the worklist in the same transaction (`policy.write`). */
  activatePolicyFile(
    access: AuditedAccess,
    file: string,
    reason: string,
    options?: { readonly outsideEffectiveDates?: boolean },
  ): Promise<{
    policy: PolicyVersionRow;
    stored: boolean;
    activation: PolicyActivationRow;
    worklist: WorklistUpdate;
  }>;
  /** Which actionable cases would change tier under the file's policy, against the active one; stores nothing (`policy.dry_run`). */
  dryRunPolicyFile(access: AuditedAccess, file: string): Promise<DryRunResult>;
  /** A page of the worklist, by effective tier then age (`worklist.read`). */
  list(access: AuditedAccess, query?: WorklistPageQuery): Promise<WorklistPage>;
  /** Every actionable case ranked by a policy given as a file, on the fly, storing nothing (`worklist.read`). */
  rankWithPolicyFile(
    access: AuditedAccess,
    file: string,
    options?: { tier?: number | undefined; office?: string | undefined },
  ): Promise<{ policy: Policy; entries: RankedCase[] }>;
  /** One entry's stored explanation, replayed (`worklist.read`). */
  explain(access: AuditedAccess, personId: string, office?: string): Promise<WorklistEntryExplanation>;
  /**
   * A person's past rankings and removals, newest first, paged, each explanation replayed
   * (`worklist.read` and `status.read` of the person, redacted as `explain`).
   */
  history(
    access: AuditedAccess,
    personId: string,
    query?: { page?: number | undefined; pageSize?: number | undefined; office?: string | undefined },
  ): Promise<WorklistHistoryPage>;
  /** A supervisor's override of a policy outcome: needs a reason, appended, audited (`worklist.override`). */
  override(access: AuditedAccess, request: OverrideRequest): Promise<LabelledWorklistEntry>;
  /** Evaluates every actionable person again, removing every other entry (`passage rebuild`). */
  rebuild(onProgress?: (persons: number) => void): Promise<WorklistUpdate>;
}

/** A case ranked on the fly (not stored). */
export interface RankedCase {
  readonly personId: string;
  readonly tier: number;
  readonly tierLabel: string;
  readonly score: number;
  readonly orderFinalDate: string | null;
  /** Without the confidential matters for a reader without the need, as in `WorklistEntryExplanation`. */
  readonly explanation: ShownExplanation;
}

/** The access resource of an office's worklist. */
export function worklistResource(office: string): AccessResource {
  return { type: "Worklist", id: office === "" ? "national" : office, attributes: { office } };
}

export function createWorklistService(options: {
  store: Pick<Store, "db">;
  policies?: PolicyVersions;
  /**
   * Refuses when the stored statuses rest on other lifecycle rules or another derivation than
   * this process's (`LifecycleRulesInForce.rulesForReadingOrThrow`): the worklist is ranked from
   * them, so it is refused as a status read is (PASSAGE_ERR_LIFECYCLE_RULES_NOT_IN_FORCE), not
   * shown as current. Absent: not checked.
   */
  statusesInForceOrThrow?: (executor: SqlExecutor) => Promise<unknown>;
}): WorklistService {
  const { db } = options.store;
  const statusesInForceOrThrow = options.statusesInForceOrThrow ?? (async () => undefined);
  const policies = options.policies ?? createPolicyVersions();
  const projection = createWorklistProjection({ policies });
  const officeOf = (access: AuditedAccess, office: string | undefined) => office ?? access.scope.actor.office;

  /**
   * An office named for a worklist is the actor's own, one a user account works in or one cases
   * are assigned to; "" and an unknown office are refused, naming it and the known ones. Checked
   * once the read of that office's worklist is authorized, so a reader refused the office is
   * refused as before, and the attempt is audited as a failure with the code.
   */
  async function assertKnownOfficeOrThrow(access: AuditedAccess, office: string | undefined): Promise<void> {
    const actorOffice = access.scope.actor.office;
    if (office === undefined || (office !== "" && office === actorOffice)) return;
    const known = await findKnownOffices(db);
    if (actorOffice !== "") known.add(actorOffice);
    if (office !== "" && known.has(office)) return;
    throw WorklistErrors.unknownOffice.create(office, [...known].sort().join(", ") || "none");
  }

  /**
   * Runs `work` guarded as a `status.read` of the person: an entry discloses the person's status,
   * so it is refused (and recorded) exactly as `GET /persons/{id}/status` refuses it.
   */
  async function runAsStatusRead<T>(
    access: AuditedAccess,
    personId: string,
    work: () => Promise<T>,
  ): Promise<T> {
    const attributes = (await findCaseAttributes(db, [personId])).get(personId);
    return access.run("status.read", caseResource("Status", personId, attributes), work);
  }

  /** The entries with the label of their effective tier, from the policy version each was ranked by. */
  /** Every history row of the person, newest first (the history of a reader without the need is collapsed over all of them). */
  async function allHistoryRows(personId: string): Promise<WorklistHistoryRow[]> {
    return (await listWorklistHistory(db, personId, { limit: 2 ** 31 - 1, offset: 0 })).rows;
  }

  async function labelled(
    executor: SqlExecutor,
    entries: readonly ShownWorklistEntry[],
  ): Promise<LabelledWorklistEntry[]> {
    const byDigest = new Map<string, Policy>();
    for (const entry of entries) {
      if (entry.effectiveTier === entry.tier || byDigest.has(entry.policyDigest)) continue;
      const row = await findPolicyVersionByDigest(executor, entry.policyDigest);
      if (row === undefined) throw WorklistErrors.policyNotFound.create(`with digest ${entry.policyDigest}`);
      byDigest.set(entry.policyDigest, policies.compile(row));
    }
    return entries.map((entry) =>
      entry.effectiveTier === entry.tier
        ? { ...entry, effectiveTierLabel: entry.tierLabel }
        : labelledBy(byDigest.get(entry.policyDigest)!, entry),
    );
  }

  return {
    policies,
    projection,
    listPolicies(access) {
      return access.run("policy.read", { type: "Policy", id: "*" }, async () => ({
        versions: await listPolicyVersions(db),
        activations: await listPolicyActivations(db),
      }));
    },

    async activatePolicyFile(access, file, reason, options = {}) {
      const loaded = await readPolicyFileAuditedOrThrow(access, "policy.write", file);
      const { definition, digest } = loaded.policy;
      const today = todayUtc();
      const inEffect = isPolicyInEffect(loaded.policy, today);
      return access.run(
        "policy.write",
        { type: "Policy", id: `${definition.id}@${definition.version}` },
        () => {
          if (typeof reason !== "string" || reason.trim() === "")
            throw WorklistErrors.activationReasonRequired.create();
          const named = caseIdentifierIn(reason);
          if (named !== undefined) throw WorklistErrors.activationReasonNamesCase.create(named);
          if (!inEffect && options.outsideEffectiveDates !== true) {
            const { from, to } = definition.effective;
            throw WorklistErrors.policyNotInEffect.create(
              `${definition.id} ${definition.version}`,
              from,
              to,
              today,
            );
          }
          return db.transaction().execute(async (transaction) => {
            const by = `${access.scope.actor.kind}:${access.scope.actor.id}`;
            const { row, inserted } = await policies.store(transaction, loaded, by);
            const activation = await policies.activate(transaction, row.digest, by, reason);
            const worklist = await projection.rebuild(transaction);
            const policy = (await findPolicyVersionByDigest(transaction, row.digest))!;
            return { policy, stored: inserted, activation, worklist };
          });
        },
        { digest, reason, file: loaded.fileName, ...(inEffect ? {} : { outsideEffectiveDates: true }) },
      );
    },

    async dryRunPolicyFile(access, file) {
      const loaded = await readPolicyFileAuditedOrThrow(access, "policy.dry_run", file);
      return access.run(
        "policy.dry_run",
        { type: "Policy", id: `${loaded.policy.definition.id}@${loaded.policy.definition.version}` },
        async () => {
          const run = await db.transaction().execute(async (transaction) => {
            const active = await policies.ensureActive(transaction);
            const accumulator = createDryRun(active.policy, loaded.policy);
            // Evaluation is synchronous: the server's other requests are answered between slices
            // of at most DRY_RUN_SLICE_MS (each case is bounded by the policies' case budget).
            await projection.admitted(transaction, (admitted) =>
              addCasesYielding(accumulator, admitted, DRY_RUN_SLICE_MS),
            );
            return accumulator;
          });
          const result = run.result();
          // The counts are the policy's impact on every actionable case; the changes name persons,
          // so they list only those whose status the actor may read (the status.read filter in SQL),
          // and a rule resting on a confidential record of the person is named as the worklist
          // names it to a reader without the need to know (withheld-N).
          const changes = await access.list(
            "status.read",
            `policy-dry-run:${loaded.policy.digest}`,
            async (filter) => {
              const readable = await personsPassing(
                db,
                filter,
                result.changes.map((change) => change.personId),
              );
              const listed = result.changes.filter((change) => readable(change.personId));
              const reader = await confidentialReaderFor(
                access,
                db,
                listed.map((change) => change.personId),
              );
              return listed.map((change) =>
                withWithheldRules(
                  change,
                  reader.flaggedOf(change.personId),
                  run.decidingEvidence(change.personId),
                ),
              );
            },
          );
          return { ...result, changes: [...changes] };
        },
        { digest: loaded.policy.digest },
      );
    },

    async list(access, query = {}) {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? WORKLIST_PAGE_SIZES.default;
      if (!Number.isInteger(page) || page < 1)
        throw WorklistErrors.invalidPage.create(`page must be 1 or more, got ${page}`);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > WORKLIST_PAGE_SIZES.max) {
        throw WorklistErrors.invalidPage.create(
          `page size must be 1 to ${WORKLIST_PAGE_SIZES.max}, got ${pageSize}`,
        );
      }
      const office = officeOf(access, query.office);
      return access.run(
        "worklist.read",
        worklistResource(office),
        async () => {
          await assertKnownOfficeOrThrow(access, query.office);
          await statusesInForceOrThrow(db);
          const active = await db.transaction().execute((transaction) => policies.ensureActive(transaction));
          if (query.tier !== undefined) assertTierOrThrow(active.policy, query.tier);
          // An entry discloses its person's status: only the persons whose status the actor may
          // read are listed and counted, by the policies' `status.read` filter in SQL.
          let total = 0;
          const entries = await access.list(
            "status.read",
            `worklist:${worklistResource(office).id}`,
            async (filter) => {
              const listed = await listWorklistEntries(
                db,
                { tier: query.tier, office: query.office, limit: pageSize, offset: (page - 1) * pageSize },
                (columns) => filter.toSql(columns),
              );
              total = listed.total;
              const redaction = await worklistRedactionFor(
                access,
                db,
                listed.entries.map((entry) => entry.personId),
              );
              return labelled(
                db,
                listed.entries.map((entry) => shownEntry(entry, redaction)),
              );
            },
          );
          return { policy: policyReference(active.policy), page, pageSize, total, entries: [...entries] };
        },
        { tier: query.tier ?? null, office: query.office ?? null, page, pageSize },
      );
    },

    async rankWithPolicyFile(access, file, rankOptions = {}) {
      const loaded = await readPolicyFileOrThrow(file);
      if (rankOptions.tier !== undefined) assertTierOrThrow(loaded.policy, rankOptions.tier);
      const office = officeOf(access, rankOptions.office);
      return access.run(
        "worklist.read",
        worklistResource(office),
        async () => {
          await assertKnownOfficeOrThrow(access, rankOptions.office);
          await statusesInForceOrThrow(db);
          const entries = await access.list(
            "status.read",
            `worklist-ranking:${worklistResource(office).id}`,
            (filter) =>
              db.transaction().execute(async (transaction) => {
                const ranked: RankedCase[] = [];
                await projection.rank(transaction, loaded.policy, async (page) => {
                  const inTier = page.worklist.entries.filter(
                    (entry) => rankOptions.tier === undefined || entry.tier === rankOptions.tier,
                  );
                  const listed =
                    rankOptions.office === undefined
                      ? inTier
                      : await inOffice(transaction, inTier, rankOptions.office);
                  const readable = await personsPassing(
                    transaction,
                    filter,
                    listed.map((entry) => entry.personId),
                  );
                  const shown = listed.filter((entry) => readable(entry.personId));
                  const redaction = await worklistRedactionFor(
                    access,
                    transaction,
                    shown.map((entry) => entry.personId),
                  );
                  for (const entry of shown) {
                    ranked.push({
                      personId: entry.personId,
                      tier: entry.tier,
                      tierLabel: entry.tierLabel,
                      score: entry.score,
                      orderFinalDate: entry.orderFinalDate,
                      explanation: redaction.explanation(entry.personId, entry.explanation),
                    });
                  }
                });
                return ranked.sort(compareRanked);
              }),
          );
          return { policy: loaded.policy, entries: [...entries] };
        },
        { policy: loaded.policy.digest, tier: rankOptions.tier ?? null, office: rankOptions.office ?? null },
      );
    },

    async explain(access, personId, office) {
      return access.run(
        "worklist.read",
        worklistResource(officeOf(access, office)),
        async () => {
          await assertKnownOfficeOrThrow(access, office);
          await statusesInForceOrThrow(db);
          return runAsStatusRead(access, personId, async () => {
            const entry = await findWorklistEntry(db, personId);
            if (entry === undefined) throw WorklistErrors.notOnWorklist.create(personId);
            const row = await findPolicyVersionByDigest(db, entry.policyDigest);
            if (row === undefined)
              throw WorklistErrors.policyNotFound.create(`with digest ${entry.policyDigest}`);
            const explanation = entry.explanation as CaseExplanation;
            const { identical, differences } = replayExplanation(explanation, policies.compile(row));
            // Replayed whole, then shown as the reader may see it.
            const redaction = await worklistRedactionFor(access, db, [personId]);
            const shown = shownEntry(entry, redaction);
            return {
              entry: labelledBy(policies.compile(row), shown),
              explanation: shown.explanation,
              replay: { identical, differences },
              overrides: (await listWorklistOverrides(db, personId)).map(redaction.override),
            };
          });
        },
        { personId, office: office ?? null },
      );
    },

    async history(access, personId, query = {}) {
      const page = query.page ?? 1;
      const pageSize = query.pageSize ?? WORKLIST_HISTORY_PAGE_SIZES.default;
      if (!Number.isInteger(page) || page < 1)
        throw WorklistErrors.invalidPage.create(`page must be 1 or more, got ${page}`);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > WORKLIST_HISTORY_PAGE_SIZES.max) {
        throw WorklistErrors.invalidPage.create(
          `page size must be 1 to ${WORKLIST_HISTORY_PAGE_SIZES.max}, got ${pageSize}`,
        );
      }
      return access.run(
        "worklist.read",
        worklistResource(officeOf(access, query.office)),
        async () => {
          await assertKnownOfficeOrThrow(access, query.office);
          return runAsStatusRead(access, personId, async () => {
            const redaction = await worklistRedactionFor(access, db, [personId]);
            const { total, rows } = redaction.hasNeed(personId)
              ? await listWorklistHistory(db, personId, { limit: pageSize, offset: (page - 1) * pageSize })
              : pageOf(shownChanges(await allHistoryRows(personId), redaction), page, pageSize);
            // No rows: say so only of a person that exists (a retired one keeps its rows); an unknown id
            // is not "no history" but a wrong id. Asked after status.read, which refuses an unknown
            // person to a reader scoped to offices (it has no case), as `explain` does.
            if (total === 0 && !(await personExists(db, personId)))
              throw WorklistErrors.personNotFound.create(personId);
            const byDigest = new Map<string, Policy>();
            const policyOf = async (digest: string): Promise<Policy> => {
              const known = byDigest.get(digest);
              if (known !== undefined) return known;
              const row = await findPolicyVersionByDigest(db, digest);
              if (row === undefined) throw WorklistErrors.policyNotFound.create(`with digest ${digest}`);
              const policy = policies.compile(row);
              byDigest.set(digest, policy);
              return policy;
            };
            const entries: ShownWorklistHistoryEntry[] = [];
            for (const { explanation, ...row } of rows) {
              const stored = explanation as CaseExplanation | null;
              // Replayed whole with the policy the explanation names, then shown as the reader may see it.
              const replayed =
                stored === null ? null : replayExplanation(stored, await policyOf(stored.policy.digest));
              const effectiveTierLabel =
                row.effectiveTier === null
                  ? null
                  : ((await policyOf(row.policyDigest)).tierByNumber.get(row.effectiveTier)?.label ?? null);
              entries.push({
                ...row,
                effectiveTierLabel,
                explanation: stored === null ? null : redaction.explanation(personId, stored),
                replay:
                  replayed === null
                    ? null
                    : { identical: replayed.identical, differences: replayed.differences },
              });
            }
            return { personId, page, pageSize, total, entries };
          });
        },
        { personId, office: query.office ?? null, page, pageSize },
      );
    },

    async override(access, request) {
      return access.run(
        "worklist.override",
        worklistResource(officeOf(access, request.office)),
        async () => {
          await assertKnownOfficeOrThrow(access, request.office);
          return runAsStatusRead(access, request.personId, () =>
            db.transaction().execute(async (transaction) => {
              const reason = typeof request.reason === "string" ? request.reason.trim() : "";
              if (reason === "") throw WorklistErrors.overrideReasonRequired.create();
              await transaction
                .selectFrom("worklist_entry")
                .select("person_id")
                .where("person_id", "=", request.personId)
                .forUpdate()
                .execute();
              const entry = await findWorklistEntry(transaction, request.personId);
              // Gated and non-actionable persons are never on the worklist: there is nothing to override.
              if (entry === undefined) throw WorklistErrors.notOnWorklist.create(request.personId);
              if (
                request.expected &&
                (request.expected.policyDigest !== entry.policyDigest || request.expected.tier !== entry.tier)
              ) {
                throw WorklistErrors.overrideStale.create(
                  request.personId,
                  `tier ${request.expected.tier} under ${request.expected.policyDigest.slice(0, 12)}`,
                  `tier ${entry.tier} under ${entry.policyDigest.slice(0, 12)}`,
                );
              }
              const row = await findPolicyVersionByDigest(transaction, entry.policyDigest);
              if (row === undefined)
                throw WorklistErrors.policyNotFound.create(`with digest ${entry.policyDigest}`);
              assertTierOrThrow(policies.compile(row), request.tier);
              if (request.tier === entry.tier) throw WorklistErrors.overrideUnchanged.create(entry.tier);
              await insertWorklistOverride(transaction, {
                personId: entry.personId,
                policyDigest: entry.policyDigest,
                originalTier: entry.tier,
                tier: request.tier,
                reason,
                overriddenBy: `${access.scope.actor.kind}:${access.scope.actor.id}`,
              });
              // The tier in force changed: the history's newest row must say so (the reason is not copied).
              await recordWorklistEntryInForce(transaction, request.personId);
              const overridden = (await findWorklistEntry(transaction, request.personId))!;
              // Answered as the worklist shows it to this supervisor.
              return labelledBy(
                policies.compile(row),
                shownEntry(overridden, await worklistRedactionFor(access, transaction, [request.personId])),
              );
            }),
          );
        },
        { personId: request.personId, tier: request.tier, reason: String(request.reason ?? "") },
      );
    },

    rebuild(onProgress) {
      return db.transaction().execute((transaction) => projection.rebuild(transaction, onProgress));
    },
  };
}

/**
 * The entry with the label of its effective tier in `policy` (the one it was ranked by). An
 * override's tier was checked against that policy when it was made.
 */
/**
 * A person's history rows (newest first) as a reader without the need sees them: only the rows
 * whose shown content (change, reason, policy, tiers, score, order date and the explanation as
 * redacted for the reader, without the evaluation day) differs from the shown row before it, each
 * the first of its run. A row appended only because a record the reader may not see arrived
 * (stored content changed, shown content not) shows nothing, and is not counted.
 */
function shownChanges(
  rows: readonly WorklistHistoryRow[],
  redaction: WorklistRedaction,
): WorklistHistoryRow[] {
  const kept: WorklistHistoryRow[] = [];
  let previous: string | undefined;
  for (const row of [...rows].reverse()) {
    const { sequence: _sequence, recordedAt: _recordedAt, asOf: _asOf, explanation, ...content } = row;
    const shown =
      explanation === null ? null : redaction.explanation(row.personId, explanation as CaseExplanation);
    const key = JSON.stringify({ ...content, explanation: shown });
    if (key !== previous) kept.push(row);
    previous = key;
  }
  return kept.reverse();
}

/** One page of rows, with the count of all of them (as `listWorklistHistory` answers). */
function pageOf(
  rows: readonly WorklistHistoryRow[],
  page: number,
  pageSize: number,
): { total: number; rows: WorklistHistoryRow[] } {
  return { total: rows.length, rows: rows.slice((page - 1) * pageSize, page * pageSize) };
}

function labelledBy(policy: Policy, entry: ShownWorklistEntry): LabelledWorklistEntry {
  const tier = policy.tierByNumber.get(entry.effectiveTier);
  if (tier === undefined) {
    const known = [...policy.tierByNumber.keys()].sort((a, b) => a - b);
    throw WorklistErrors.invalidTier.create(
      String(entry.effectiveTier),
      `${policy.definition.id} v${policy.definition.version}`,
      known,
    );
  }
  return { ...entry, effectiveTierLabel: tier.label };
}

/** Those of `entries` whose case is assigned to `office`, in their order. */
async function inOffice<T extends { readonly personId: string }>(
  executor: Parameters<typeof findCaseAttributes>[0],
  entries: readonly T[],
  office: string,
): Promise<T[]> {
  const attributes = await findCaseAttributes(
    executor,
    entries.map((entry) => entry.personId),
  );
  return entries.filter((entry) => attributes.get(entry.personId)?.office === office);
}

/**
 * A dry run's change as a reader without the need to know the person's confidential matters may
 * see it: a deciding rule that cites one of the person's flagged records is named `withheld-N`
 * (the tiers stay), as `withoutConfidentialMatters` names it in the worklist's explanations.
 */
function withWithheldRules(
  change: TierChange,
  flagged: ReadonlySet<string>,
  evidence: { readonly from: readonly RecordCitation[]; readonly to: readonly RecordCitation[] } | undefined,
): TierChange {
  if (flagged.size === 0 || evidence === undefined) return change;
  const restsOnFlagged = (citations: readonly RecordCitation[]) =>
    citations.some((citation) => flagged.has(flaggedRecordKey(citation)));
  const fromWithheld = restsOnFlagged(evidence.from);
  const toWithheld = restsOnFlagged(evidence.to);
  if (!fromWithheld && !toWithheld) return change;
  const sameRule = change.from.decidedBy === change.to.decidedBy;
  return {
    ...change,
    from: fromWithheld ? { ...change.from, decidedBy: `rule ${WITHHELD_RULE_PREFIX}1` } : change.from,
    to: toWithheld
      ? {
          ...change.to,
          decidedBy: `rule ${WITHHELD_RULE_PREFIX}${fromWithheld && !sameRule ? 2 : 1}`,
        }
      : change.to,
  };
}

/**
 * Reads a policy file for an activation or a dry run. A file that cannot be read or is invalid
 * fails the attempt, which is authorized and audited as a failure with the error's code (as a
 * refusal or a conflict is), on the Policy resource named by the file (its id is not known).
 */
async function readPolicyFileAuditedOrThrow(
  access: AuditedAccess,
  action: "policy.write" | "policy.dry_run",
  file: string,
): Promise<LoadedPolicy> {
  try {
    return await readPolicyFileOrThrow(file);
  } catch (error) {
    const fileName = path.basename(file);
    return access.run(
      action,
      { type: "Policy", id: fileName },
      () => {
        throw error;
      },
      { file: fileName },
    );
  }
}

function policyReference(policy: Policy): WorklistPage["policy"] {
  return {
    id: policy.definition.id,
    version: policy.definition.version,
    digest: policy.digest,
    tiers: policy.definition.tiers.map(({ tier, label }) => ({ tier, label })),
  };
}

function assertTierOrThrow(policy: Policy, tier: number): void {
  // Named: the policy may be the active one or a file given with --policy.
  const named = `${policy.definition.id} v${policy.definition.version}`;
  if (!Number.isInteger(tier) || tier < 1) throw WorklistErrors.invalidTier.create(String(tier), named, []);
  if (!policy.tierByNumber.has(tier)) {
    const known = [...policy.tierByNumber.keys()].sort((a, b) => a - b);
    throw WorklistErrors.invalidTier.create(String(tier), named, known);
  }
}

/** Tier, then oldest final order (unknown last), then person id: the order of every worklist. */
function compareRanked(a: RankedCase, b: RankedCase): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (a.orderFinalDate !== b.orderFinalDate) {
    if (a.orderFinalDate === null) return 1;
    if (b.orderFinalDate === null) return -1;
    return a.orderFinalDate < b.orderFinalDate ? -1 : 1;
  }
  return a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0;
}
