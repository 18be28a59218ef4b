import { isPassageError } from "@passage/core";
import { AccessErrors } from "./access-errors.ts";
import type { AuditDetailValue, AuditEvent } from "./audit/audit-entry.ts";
import type { AuditLog } from "./audit-log/audit-log.ts";
import {
  type AccessDecision,
  type AccessResource,
  type AccessService,
  accessContextProblem,
  FIELD_ACTIONS,
  fieldGroupsAllowed,
  type ListFilter,
  MAX_PURPOSE_LENGTH,
  redactPersonView,
} from "./authorization/access-service.ts";
import { type Actor, actorLabel } from "./authorization/actor.ts";
import {
  ACTIONS,
  type Action,
  type Channel,
  CONFIDENTIALITY_FLAGS,
  FIELD_GROUPS,
  type FieldGroup,
  isWriteAction,
} from "./authorization/vocabulary.ts";

/** Who acts, why, and which request: fixed for the life of one HTTP request, job or command. */
export interface RequestScope {
  readonly actor: Actor;
  /** The stated purpose of use; `cli` for the command line unless `--purpose` says otherwise. */
  readonly purpose: string;
  /** The request or correlation id written with every entry. */
  readonly requestId: string;
  /** Where the data goes (default `view`). */
  readonly channel?: Channel;
}

type Details = Readonly<Record<string, AuditDetailValue>>;

/**
 * The access layer for one request (as Medplum builds a repository per request): every guarded
 * call is authorized by the Cedar policies and recorded in the audit log — denied, failed or
 * succeeded — before its result reaches the caller; a write (ACTION_EFFECTS) is recorded also
 * before its work starts.
 */
export class AuditedAccess {
  readonly scope: RequestScope;
  readonly #service: AccessService;
  readonly #audit: AuditLog;

  /** What makes the scope's context unusable (an over-long purpose, say): every guarded call is refused. */
  readonly #contextProblem: string | undefined;

  constructor(service: AccessService, audit: AuditLog, scope: RequestScope) {
    this.#service = service;
    this.#audit = audit;
    this.scope = scope;
    this.#contextProblem = accessContextProblem({ purpose: scope.purpose, channel: scope.channel ?? "view" });
  }

  /**
   * The decision alone, not recorded (for showing or hiding a button, never for guarding data).
   * False for a request whose context is unusable: the guarded call that follows refuses and records it.
   */
  can(action: Action, resource: AccessResource): boolean {
    if (this.#contextProblem !== undefined) return false;
    return this.#service.authorize(this.scope.actor, action, resource, this.#context()).decision === "allow";
  }

  /**
   * A request whose context the policies cannot be asked with (a purpose over MAX_PURPOSE_LENGTH
   * characters, an unknown channel) is refused, and recorded as the denial it is before the refusal
   * (PASSAGE_ERR_ACCESS_REQUEST_INVALID) is thrown: every access, allowed or refused, has its entry.
   */
  async #refuseUnusableContextOrContinue(action: Action, resourceType: string, resourceId: string) {
    if (this.#contextProblem === undefined) return;
    const error = AccessErrors.requestInvalid.create(this.#contextProblem);
    await this.#record(
      action,
      resourceType,
      resourceId,
      { decision: "deny", reasons: ["request-invalid"] },
      error.code,
      {},
    );
    throw error;
  }

  /**
   * Authorizes `action` on `resource`, runs `work` if allowed, and records the outcome. A denial
   * is recorded once and thrown (PASSAGE_ERR_ACCESS_DENIED, or PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED
   * when only the purpose was missing); a failure of `work` is recorded with its error code and
   * rethrown. An allowed write (ACTION_EFFECTS) is recorded twice: before `work` is called
   * (`phase: "started"`, committed first, so that what `work` commits before a crash — kill -9,
   * power loss — has its entry; `work` never runs when that entry cannot be written) and with its
   * outcome (`phase: "finished"`). A read is recorded once, with its outcome.
   * `resultDetails` adds what only the result tells (an ingest's counts) to a success's entry.
   */
  async run<T>(
    action: Action,
    resource: AccessResource,
    work: () => Promise<T> | T,
    details: Details = {},
    resultDetails?: (result: T) => Details,
  ): Promise<T> {
    await this.#refuseUnusableContextOrContinue(action, resource.type, resource.id);
    const decision = this.#service.authorize(this.scope.actor, action, resource, this.#context());
    return this.#runDecided(
      action,
      resource,
      decision,
      work,
      resultDetails ? (result) => ({ ...details, ...resultDetails(result) }) : details,
      details,
    );
  }

  /**
   * Reads a person view: `person.read` guarded and recorded as `run` does, then every field group
   * the actor may not see removed (and named in the entry). `load` is told the groups the actor
   * may see (to leave out, say, what only the confidential group may cite).
   */
  async readPerson<T extends Record<string, unknown>>(
    resource: Extract<AccessResource, { type: "Person" }>,
    load: (visible: readonly FieldGroup[]) => Promise<T> | T,
  ): Promise<{ view: Partial<T>; hidden: FieldGroup[] }> {
    await this.#refuseUnusableContextOrContinue("person.read", resource.type, resource.id);
    // One authorization for the read and every field group.
    const [read, ...fields] = this.#service.authorizeEach(
      this.scope.actor,
      ["person.read", ...FIELD_ACTIONS],
      resource,
      this.#context(),
    );
    // The confidential group is shown only to a reader who would see it were the person to hold
    // every confidential matter: one allowed it on a person only because the person has nothing
    // to protect (a removal officer on an office case) would otherwise see it hidden on flagged
    // persons alone, which named them (8 CFR 208.6, 8 U.S.C. 1367).
    const [asIfEveryMatterHeld] = this.#service.authorizeEach(
      this.scope.actor,
      ["person.field.confidential"],
      { ...resource, attributes: { ...resource.attributes, confidentiality: [...CONFIDENTIALITY_FLAGS] } },
      this.#context(),
    );
    const visible = fieldGroupsAllowed(fields).filter(
      (group) => group !== "confidential" || asIfEveryMatterHeld!.decision === "allow",
    );
    const hiddenByPolicy = FIELD_GROUPS.filter((group) => !visible.includes(group));
    return this.#runDecided(
      "person.read",
      resource,
      read!,
      async () => redactPersonView(await load(visible), visible),
      hiddenByPolicy.length > 0 ? { fieldsHidden: hiddenByPolicy } : {},
    );
  }

  async #runDecided<T>(
    action: Action,
    resource: AccessResource,
    decision: AccessDecision,
    work: () => Promise<T> | T,
    details: Details | ((result: T) => Details),
    detailsWithoutResult: Details = typeof details === "function" ? {} : details,
  ): Promise<T> {
    if (decision.decision === "deny") {
      const error = decision.reasons.includes("purpose-of-use-required")
        ? AccessErrors.purposeRequired.create(action)
        : AccessErrors.denied.create(actorLabel(this.scope.actor), action, `${resource.type} ${resource.id}`);
      await this.#record(action, resource.type, resource.id, decision, error.code, detailsWithoutResult);
      throw error;
    }
    return this.#runAllowed(
      action,
      resource.type,
      resource.id,
      decision,
      work,
      details,
      detailsWithoutResult,
    );
  }

  /** The SQL row filter of a list of `action`'s resources (see `AccessService.listFilter`). */
  listFilter(action: Action): ListFilter {
    return this.#service.listFilter(this.scope.actor, action, this.#context());
  }

  /**
   * Refuses, as a route guard does (403), an actor whose roles permit `action` on no resource at
   * all (`AccessService.mayPerform`): recorded as denied and thrown as `PASSAGE_ERR_ACCESS_DENIED`.
   * In front of a list, which answers such an actor with no rows (a list filter that denies all),
   * where the caller has no guard of its own (the command line).
   */
  async refuseUnlessRolePermits(action: Action, listed: string): Promise<void> {
    await this.#refuseUnusableContextOrContinue(action, ACTIONS[action], listed);
    if (this.#service.mayPerform(this.scope.actor, action)) return;
    const resourceType = ACTIONS[action];
    const error = AccessErrors.denied.create(
      actorLabel(this.scope.actor),
      action,
      `${resourceType} ${listed}`,
    );
    await this.#record(
      action,
      resourceType,
      listed,
      { decision: "deny", reasons: ["role-does-not-permit"] },
      error.code,
      { list: true },
    );
    throw error;
  }

  /**
   * Runs a list query with the policies' filter and records one entry for the list (the
   * resource id names what was listed; the count of rows returned goes in the details). A list
   * the actor may see nothing of is recorded as denied and returns no rows; one the actor could
   * see with a stated purpose is recorded as denied and refused as a single read is
   * (PASSAGE_ERR_ACCESS_PURPOSE_REQUIRED), not answered with no rows.
   */
  async list<T>(
    action: Action,
    listed: string,
    query: (filter: ListFilter) => Promise<readonly T[]>,
  ): Promise<readonly T[]> {
    await this.#refuseUnusableContextOrContinue(action, ACTIONS[action], listed);
    const filter = this.listFilter(action);
    if (filter.deniesAll) {
      const error = this.refusedOnlyForPurpose(action)
        ? AccessErrors.purposeRequired.create(action)
        : undefined;
      const reason = error ? "purpose-of-use-required" : "default-deny";
      await this.#record(
        action,
        filter.resourceType,
        listed,
        { decision: "deny", reasons: [reason] },
        error?.code ?? null,
        { list: true },
      );
      if (error) throw error;
      return [];
    }
    const decision: AccessDecision = { decision: "allow", reasons: [] };
    return this.#runAllowed(
      action,
      filter.resourceType,
      listed,
      decision,
      () => query(filter),
      (rows) => ({
        list: true,
        rows: rows.length,
        filter: filter.describe().slice(0, 1_000),
      }),
    );
  }

  async #runAllowed<T>(
    action: Action,
    resourceType: string,
    resourceId: string,
    decision: AccessDecision,
    work: () => Promise<T> | T,
    details: Details | ((result: T) => Details),
    detailsWithoutResult: Details = typeof details === "function" ? {} : details,
  ): Promise<T> {
    // A write is on record before it can change anything: awaited (committed), and when it cannot
    // be written the work is not started. A read adds nothing here (the person read's p99 budget).
    const write = isWriteAction(action);
    if (write) {
      await this.#record(action, resourceType, resourceId, decision, null, {
        ...detailsWithoutResult,
        phase: "started",
      });
    }
    const withPhase = (recorded: Details): Details => (write ? { ...recorded, phase: "finished" } : recorded);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const code = isPassageError(error) ? error.code : "PASSAGE_ERR_INTERNAL";
      // The work's error says what went wrong: when its entry cannot be written either (the work
      // lost the database the log is in), that second failure must not hide it. Nothing of the
      // work reaches the caller, so no unaudited result escapes.
      await this.#record(
        action,
        resourceType,
        resourceId,
        decision,
        code,
        withPhase(detailsWithoutResult),
      ).catch(() => undefined);
      throw error;
    }
    await this.#record(
      action,
      resourceType,
      resourceId,
      decision,
      null,
      withPhase(typeof details === "function" ? details(result) : details),
    );
    return result;
  }

  /**
   * Whether the actor is refused every `action` only for want of a stated purpose (with one, some
   * would be allowed): a reader of a document that names persons is then refused as a list is.
   */
  refusedOnlyForPurpose(action: Action): boolean {
    if (this.scope.purpose.trim() !== "") return false;
    const stated = { ...this.#context(), purpose: "stated" };
    return !this.#service.listFilter(this.scope.actor, action, stated).deniesAll;
  }

  #context() {
    return { purpose: this.scope.purpose, channel: this.scope.channel ?? "view" };
  }

  async #record(
    action: Action,
    resourceType: string,
    resourceId: string,
    decision: AccessDecision,
    errorCode: string | null,
    details: Details,
  ): Promise<void> {
    const denied = decision.decision === "deny";
    const event: AuditEvent = {
      time: new Date().toISOString(),
      requestId: this.scope.requestId,
      actor: actorLabel(this.scope.actor),
      purpose: purposeAsRecorded(this.scope.purpose),
      action,
      resourceType,
      resourceId: resourceId || "(none)",
      decision: decision.decision,
      outcome: denied || errorCode ? "failure" : "success",
      errorCode: denied ? (errorCode ?? AccessErrors.denied.code) : errorCode,
      reasons: [...decision.reasons],
      details,
    };
    await this.#audit.append(event);
  }
}

/**
 * The purpose as the audit entry records it: trimmed, "(none stated)" when empty, and one longer
 * than MAX_PURPOSE_LENGTH (a request refused for it) cut there with a marker saying so.
 */
export function purposeAsRecorded(purpose: string): string {
  const stated = typeof purpose === "string" ? purpose.trim() : String(purpose);
  if (stated === "") return "(none stated)";
  if (stated.length <= MAX_PURPOSE_LENGTH) return stated;
  return `${stated.slice(0, MAX_PURPOSE_LENGTH)}… [truncated: ${stated.length} characters stated]`;
}
