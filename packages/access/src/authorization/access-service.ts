import type { EntityJson } from "@cedar-policy/cedar-wasm/nodejs";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import type { RawBuilder, SqlBool } from "kysely";
import { AccessErrors } from "../access-errors.ts";
import { type Actor, actorLabel, principalIdOf } from "./actor.ts";
import {
  describeFilter,
  type FilterColumns,
  type FilterExpression,
  filterFromResiduals,
  filterMatches,
  filterToSql,
} from "./list-filter.ts";
import { type LoadedPolicySet, loadPolicySetOrThrow } from "./policy-set.ts";
import {
  ACTIONS,
  type Action,
  type CaseResourceType,
  CHANNELS,
  type Channel,
  type ConfidentialityFlag,
  FIELD_GROUPS,
  type FieldGroup,
  PERSON_FIELD_GROUPS,
  type ResourceType,
} from "./vocabulary.ts";

const NAMESPACE = "Passage";

/** The case a resource belongs to: its office, the users assigned to it, its confidentiality flags. */
export interface CaseAttributes {
  readonly office: string;
  readonly assignees: readonly string[];
  readonly confidentiality: readonly ConfidentialityFlag[];
}

/** What is being accessed, with the attributes the policies read. */
export type AccessResource =
  | {
      readonly type: "Person";
      readonly id: string;
      readonly attributes: CaseAttributes & { readonly nationality?: string };
    }
  | {
      readonly type: Exclude<CaseResourceType, "Person">;
      readonly id: string;
      readonly attributes: CaseAttributes;
    }
  | {
      readonly type: "TravelDocument";
      readonly id: string;
      readonly attributes: {
        readonly office: string;
        readonly assignees: readonly string[];
        readonly country: string;
      };
    }
  | {
      readonly type: "Worklist" | "TransportPlan";
      readonly id: string;
      readonly attributes: { readonly office: string };
    }
  | {
      readonly type: "Policy" | "Account" | "AuditLog" | "Report" | "Feed" | "Projection";
      readonly id: string;
    };

/** Why the access happens: the purpose of use, and where the data goes (default `view`). */
export interface AccessContext {
  readonly purpose: string;
  readonly channel?: Channel;
}

export interface AccessDecision {
  readonly decision: "allow" | "deny";
  /** The `@id`s of the policies that decided: the permits that allowed, or the forbids that denied. */
  readonly reasons: readonly string[];
}

/** A list's row filter, derived from the policies for one actor, action and context. */
export interface ListFilter {
  readonly resourceType: ResourceType;
  readonly expression: FilterExpression;
  /** True when every row is allowed, false when none is. */
  readonly allowsAll: boolean;
  readonly deniesAll: boolean;
  /** The filter as SQL over the columns that hold each attribute. */
  toSql(columns: FilterColumns): RawBuilder<SqlBool>;
  /** The filter applied to one row in memory. */
  matches(row: Readonly<Record<string, string | readonly string[]>>): boolean;
  describe(): string;
}

/** The attributes of each resource type, as the schema declares them. */
export const RESOURCE_ATTRIBUTES: Readonly<Record<ResourceType, readonly string[]>> = {
  Person: ["office", "assignees", "confidentiality", "nationality"],
  Record: ["office", "assignees", "confidentiality"],
  Link: ["office", "assignees", "confidentiality"],
  Status: ["office", "assignees", "confidentiality"],
  RedressRequest: ["office", "assignees", "confidentiality"],
  TravelDocument: ["office", "assignees", "country"],
  Worklist: ["office"],
  TransportPlan: ["office"],
  Policy: [],
  Account: [],
  AuditLog: [],
  Report: [],
  Feed: [],
  Projection: [],
};

/**
 * Authorization by Cedar (issue 6): deny by default, roles and case scope in
 * policies/roles.cedar, the safeguards that hold for every role in policies/safeguards.cedar.
 */
export class AccessService {
  readonly policySet: LoadedPolicySet;
  readonly #filters = new Map<string, ListFilter>();
  /** Decisions by actor, context and resource attributes, then by action. */
  readonly #decisions = new Map<string, Map<Action, AccessDecision>>();

  constructor(policySet: LoadedPolicySet = loadPolicySetOrThrow()) {
    this.policySet = policySet;
  }

  /** The decision for one action on one resource, with the policies that made it. */
  authorize(actor: Actor, action: Action, resource: AccessResource, context: AccessContext): AccessDecision {
    return this.authorizeEach(actor, [action], resource, context)[0]!;
  }

  /**
   * The decisions for several actions on one resource, in the order of `actions` (a person read
   * asks for nine: the read and each field group).
   */
  authorizeEach(
    actor: Actor,
    actions: readonly Action[],
    resource: AccessResource,
    context: AccessContext,
  ): AccessDecision[] {
    for (const action of actions) {
      const expected = ACTIONS[action];
      if (!expected) throw AccessErrors.requestInvalid.create(`unknown action ${String(action)}`);
      if (resource.type !== expected) {
        throw AccessErrors.requestInvalid.create(`${action} applies to ${expected}, not ${resource.type}`);
      }
    }
    const cedarContext = cedarContextOf(context);
    const attributes = resourceAttributesOf(resource);
    // No policy names a resource by id (checked when the policies load), so a decision depends
    // only on the actor, the action, the context and the resource's attributes: cache on those.
    // The key is built from those values alone, once for all the actions asked (building Cedar's
    // entities for each decision cost more than the lookup, and so did building the key for each).
    const key = `${principalKeyOf(actor)}\n${JSON.stringify(cedarContext)}\n${resource.type}\n${JSON.stringify(attributes)}`;
    let decisions = this.#decisions.get(key);
    if (!decisions) {
      if (this.#decisions.size >= DECISION_CACHE_SIZE)
        this.#decisions.delete(this.#decisions.keys().next().value!);
      decisions = new Map();
      this.#decisions.set(key, decisions);
    }
    let entities: EntityJson[] | undefined;
    return actions.map((action) => {
      const cached = decisions.get(action);
      if (cached) return cached;
      entities ??= [...principalEntities(actor), resourceEntity(resource, attributes)];
      const decision = this.#evaluate(actor, action, resource, cedarContext, entities);
      decisions.set(action, decision);
      return decision;
    });
  }

  #evaluate(
    actor: Actor,
    action: Action,
    resource: AccessResource,
    context: { purpose: string; channel: string },
    entities: EntityJson[],
  ): AccessDecision {
    const answer = cedar.statefulIsAuthorized({
      principal: { type: `${NAMESPACE}::User`, id: principalIdOf(actor) },
      action: { type: `${NAMESPACE}::Action`, id: action },
      resource: { type: `${NAMESPACE}::${resource.type}`, id: resource.id },
      context,
      // The schema validated the policies when they loaded; requests are checked here in
      // TypeScript (`resourceEntity`), which costs a fraction of Cedar's request validation.
      preparsedPolicySetId: this.policySet.cacheKey,
      validateRequest: false,
      entities,
    });
    if (answer.type !== "success") {
      throw AccessErrors.requestInvalid.create(answer.errors.map((error) => error.message).join("; "));
    }
    const { decision, diagnostics } = answer.response;
    if (diagnostics.errors.length > 0) {
      throw AccessErrors.requestInvalid.create(
        diagnostics.errors.map((error) => `${error.policyId}: ${error.error.message}`).join("; "),
      );
    }
    return {
      decision,
      reasons: decision === "deny" && diagnostics.reason.length === 0 ? ["default-deny"] : diagnostics.reason,
    };
  }

  /** Like `authorize`, throwing PASSAGE_ERR_ACCESS_DENIED on deny. */
  authorizeOrThrow(
    actor: Actor,
    action: Action,
    resource: AccessResource,
    context: AccessContext,
  ): AccessDecision {
    const result = this.authorize(actor, action, resource, context);
    if (result.decision === "deny") {
      throw AccessErrors.denied.create(actorLabel(actor), action, `${resource.type} ${resource.id}`);
    }
    return result;
  }

  /** The field groups of a person the actor may see through `channel` (default `view`). */
  visibleFieldGroups(
    actor: Actor,
    resource: Extract<AccessResource, { type: "Person" }>,
    context: AccessContext,
  ): FieldGroup[] {
    return fieldGroupsAllowed(this.authorizeEach(actor, FIELD_ACTIONS, resource, context));
  }

  /**
   * Whether the actor's roles permit `action` on at least one resource, a purpose stated: the
   * policies' own list filter for it is not "nothing". The role-level check in front of a route
   * (403), `/auth/me` and a command-line list (`AuditedAccess.refuseUnlessRolePermits`).
   */
  mayPerform(actor: Actor, action: Action): boolean {
    return !this.listFilter(actor, action, { purpose: "permission check", channel: "view" }).deniesAll;
  }

  /**
   * The row filter of a list: the policies partially evaluated with the actor, action and context
   * known and the resource unknown, the residuals translated into SQL. One source of truth: the
   * Cedar policies; `list-filter.property.int.test.ts` proves filter and per-row decisions agree.
   */
  listFilter(actor: Actor, action: Action, context: AccessContext): ListFilter {
    const resourceType = ACTIONS[action];
    if (!resourceType) throw AccessErrors.requestInvalid.create(`unknown action ${String(action)}`);
    const cedarContext = cedarContextOf(context);
    const key = `${principalKeyOf(actor)}\n${action}\n${JSON.stringify(cedarContext)}`;
    const cached = this.#filters.get(key);
    if (cached) return cached;
    const answer = cedar.isAuthorizedPartial({
      principal: { type: `${NAMESPACE}::User`, id: principalIdOf(actor) },
      action: { type: `${NAMESPACE}::Action`, id: action },
      resource: null,
      context: cedarContext,
      policies: { staticPolicies: { ...this.policySet.policies } },
      entities: principalEntities(actor),
    });
    if (answer.type !== "residuals") {
      throw AccessErrors.requestInvalid.create(answer.errors.map((error) => error.message).join("; "));
    }
    const expression = filterFromResiduals(
      answer.response.residuals,
      resourceType,
      RESOURCE_ATTRIBUTES[resourceType],
    );
    const filter: ListFilter = {
      resourceType,
      expression,
      allowsAll: expression.op === "true",
      deniesAll: expression.op === "false",
      toSql: (columns) => filterToSql(expression, columns),
      matches: (row) => filterMatches(expression, row),
      describe: () => describeFilter(expression),
    };
    // Partial evaluation costs milliseconds; actors list the same things over and over.
    if (this.#filters.size >= FILTER_CACHE_SIZE) this.#filters.delete(this.#filters.keys().next().value!);
    this.#filters.set(key, filter);
    return filter;
  }
}

const FILTER_CACHE_SIZE = 1_000;
const DECISION_CACHE_SIZE = 20_000; // actor, context and resource attributes combinations

/** The action of each field group, in FIELD_GROUPS order. */
export const FIELD_ACTIONS: readonly Action[] = FIELD_GROUPS.map(
  (group) => `person.field.${group}` as Action,
);

/** The field groups whose FIELD_ACTIONS decisions (in that order) allow. */
export function fieldGroupsAllowed(decisions: readonly AccessDecision[]): FieldGroup[] {
  return FIELD_GROUPS.filter((_, position) => decisions[position]!.decision === "allow");
}

/** Keeps only the fields of a person view whose group is visible; fields of no known group are dropped. */
export function redactPersonView<T extends Record<string, unknown>>(
  view: T,
  visible: readonly FieldGroup[],
): { view: Partial<T>; hidden: FieldGroup[] } {
  const kept: Partial<T> = {};
  const hidden = new Set<FieldGroup>();
  for (const [field, value] of Object.entries(view)) {
    const group = PERSON_FIELD_GROUPS[field];
    if (group && visible.includes(group)) (kept as Record<string, unknown>)[field] = value;
    else if (group) hidden.add(group);
  }
  return { view: kept, hidden: [...hidden].sort() };
}

/** The longest stated purpose of use a request may carry (characters). */
export const MAX_PURPOSE_LENGTH = 200;

/**
 * What makes an access context unusable (an unknown channel, a purpose that is not text or is
 * longer than MAX_PURPOSE_LENGTH), or undefined when it is sound. The audited layer asks first, so
 * that a request refused for it is recorded as denied before it is refused.
 */
export function accessContextProblem(context: AccessContext): string | undefined {
  const channel = context.channel ?? "view";
  if (!CHANNELS.includes(channel)) return `unknown channel ${String(channel)}`;
  if (typeof context.purpose !== "string" || context.purpose.length > MAX_PURPOSE_LENGTH) {
    return `purpose must be a string of at most ${MAX_PURPOSE_LENGTH} characters`;
  }
  return undefined;
}

function cedarContextOf(context: AccessContext): { purpose: string; channel: string } {
  const problem = accessContextProblem(context);
  if (problem !== undefined) throw AccessErrors.requestInvalid.create(problem);
  return { purpose: context.purpose.trim(), channel: context.channel ?? "view" };
}

function principalEntities(actor: Actor): EntityJson[] {
  return [
    {
      uid: { type: `${NAMESPACE}::User`, id: principalIdOf(actor) },
      attrs: {
        office: actor.office,
        confidentialityNeeds: [...actor.confidentialityNeeds],
        country: actor.country,
      },
      parents: actor.roles.map((role) => ({ type: `${NAMESPACE}::Role`, id: role })),
    },
    ...actor.roles.map((role) => ({ uid: { type: `${NAMESPACE}::Role`, id: role }, attrs: {}, parents: [] })),
  ];
}

/** Everything of the actor the principal entities carry, as a cache key. */
function principalKeyOf(actor: Actor): string {
  return JSON.stringify([
    principalIdOf(actor),
    actor.roles,
    actor.office,
    actor.confidentialityNeeds,
    actor.country,
  ]);
}

/** The resource's attributes the schema declares for its type, in schema order, checked. */
function resourceAttributesOf(resource: AccessResource): (string | readonly string[])[] {
  const attributes = "attributes" in resource ? (resource.attributes as Record<string, unknown>) : {};
  return RESOURCE_ATTRIBUTES[resource.type].map((name) => {
    const value = attributes[name];
    if (name === "assignees" || name === "confidentiality") {
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
        throw AccessErrors.requestInvalid.create(`${resource.type} needs attribute ${name}`);
      return value as readonly string[];
    }
    if (name === "nationality" && value === undefined) return "";
    if (typeof value !== "string")
      throw AccessErrors.requestInvalid.create(`${resource.type} needs attribute ${name}`);
    return value;
  });
}

function resourceEntity(
  resource: AccessResource,
  values: readonly (string | readonly string[])[],
): EntityJson {
  const attrs: EntityJson["attrs"] = {};
  for (const [position, name] of RESOURCE_ATTRIBUTES[resource.type].entries()) {
    const value = values[position]!;
    attrs[name] =
      name === "assignees"
        ? (value as readonly string[]).map((id) => ({ __entity: { type: `${NAMESPACE}::User`, id } }))
        : typeof value === "string"
          ? value
          : [...value];
  }
  return { uid: { type: `${NAMESPACE}::${resource.type}`, id: resource.id }, attrs, parents: [] };
}
