import type { Expr, PolicyJson } from "@cedar-policy/cedar-wasm/nodejs";
import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import { AccessErrors } from "../access-errors.ts";

/**
 * A row filter over a resource's attributes: what the Cedar policies decide for a list, once the
 * actor, action and context are known and only the resource is not. Derived from Cedar's
 * partial evaluation (the residual of each policy), rendered into SQL so lists are filtered by
 * the database with the same rules as one `authorize` per row.
 */
export type FilterExpression =
  | { readonly op: "true" }
  | { readonly op: "false" }
  | { readonly op: "and" | "or"; readonly operands: readonly FilterExpression[] }
  | { readonly op: "not"; readonly operand: FilterExpression }
  | { readonly op: "equals"; readonly attribute: string; readonly value: string }
  | { readonly op: "contains"; readonly attribute: string; readonly value: string }
  | {
      readonly op: "containsAny" | "containsAll";
      readonly attribute: string;
      readonly values: readonly string[];
    }
  | { readonly op: "isEmpty"; readonly attribute: string };

const TRUE: FilterExpression = { op: "true" };
const FALSE: FilterExpression = { op: "false" };

type Constant = string | number | boolean | { readonly entity: string } | readonly Constant[];
type Term =
  | { readonly kind: "constant"; readonly value: Constant }
  | { readonly kind: "resource" }
  | { readonly kind: "attribute"; readonly name: string }
  | { readonly kind: "filter"; readonly filter: FilterExpression };

/**
 * Combines the residual policies into one filter: some permit holds and no forbid holds —
 * Cedar's decision rule (RFC-free: cedarpolicy.com, "Authorization").
 */
export function filterFromResiduals(
  residuals: Readonly<Record<string, PolicyJson>>,
  resourceType: string,
  attributes: readonly string[],
): FilterExpression {
  const permits: FilterExpression[] = [];
  const forbids: FilterExpression[] = [];
  // In policy id order: Cedar returns residuals in no stated order, and the filter (its SQL, its
  // description in audit entries) should not change when an unrelated policy is added.
  const byId = Object.entries(residuals).sort(([left], [right]) =>
    left < right ? -1 : left > right ? 1 : 0,
  );
  for (const [id, policy] of byId) {
    const condition = conditionOf(id, policy, { resourceType, attributes });
    if (condition.op === "false") continue;
    (policy.effect === "permit" ? permits : forbids).push(condition);
  }
  return and([or(permits), not(or(forbids))]);
}

interface Scope {
  readonly resourceType: string;
  readonly attributes: readonly string[];
}

function conditionOf(id: string, policy: PolicyJson, scope: Scope): FilterExpression {
  if (policy.principal.op !== "All" || policy.action.op !== "All") {
    throw AccessErrors.filterUntranslatable.create(`policy ${id} keeps a principal or action constraint`);
  }
  const parts: FilterExpression[] = [];
  if (policy.resource.op === "is") {
    if (policy.resource.in) throw AccessErrors.filterUntranslatable.create(`policy ${id}: resource in ...`);
    parts.push(policy.resource.entity_type.endsWith(`::${scope.resourceType}`) ? TRUE : FALSE);
  } else if (policy.resource.op !== "All") {
    throw AccessErrors.filterUntranslatable.create(`policy ${id}: resource ${policy.resource.op} constraint`);
  }
  for (const clause of policy.conditions) {
    const body = asFilter(translate(clause.body, scope, id), id);
    parts.push(clause.kind === "when" ? body : not(body));
  }
  return and(parts);
}

function translate(expression: Expr, scope: Scope, id: string): Term {
  const node = expression as Record<string, unknown>;
  const [operator] = Object.keys(node);
  const argument = node[operator!] as Record<string, Expr> & Expr[];
  const fail = (what: string): never => {
    throw AccessErrors.filterUntranslatable.create(`policy ${id}: ${what}`);
  };
  switch (operator) {
    case "Value":
      return { kind: "constant", value: constantOf(node.Value, fail) };
    case "unknown":
      return { kind: "resource" };
    case ".": {
      const left = translate(argument.left!, scope, id);
      const name = (node["."] as { attr: string }).attr;
      if (left.kind !== "resource") return fail(`attribute ${name} of something other than the resource`);
      if (!scope.attributes.includes(name)) return fail(`${scope.resourceType} has no attribute ${name}`);
      return { kind: "attribute", name };
    }
    case "has": {
      const left = translate(argument.left!, scope, id);
      const name = (node.has as { attr: string }).attr;
      if (left.kind !== "resource") return fail("has on something other than the resource");
      return filterTerm(scope.attributes.includes(name) ? TRUE : FALSE);
    }
    case "is": {
      const left = translate(argument.left!, scope, id);
      const type = (node.is as { entity_type: string }).entity_type;
      if (left.kind !== "resource") return fail("is on something other than the resource");
      return filterTerm(
        type === scope.resourceType || type.endsWith(`::${scope.resourceType}`) ? TRUE : FALSE,
      );
    }
    case "&&":
    case "||": {
      const left = asFilter(translate(argument.left!, scope, id), id);
      // Cedar evaluates left to right and stops early; so does this, which keeps a right side
      // that only makes sense for another resource type (after `is`) out of the filter.
      if (operator === "&&" && left.op === "false") return filterTerm(FALSE);
      if (operator === "||" && left.op === "true") return filterTerm(TRUE);
      const right = asFilter(translate(argument.right!, scope, id), id);
      return filterTerm(operator === "&&" ? and([left, right]) : or([left, right]));
    }
    case "!":
      return filterTerm(not(asFilter(translate(argument.arg!, scope, id), id)));
    case "==":
    case "!=": {
      const equal = equality(
        translate(argument.left!, scope, id),
        translate(argument.right!, scope, id),
        fail,
      );
      return filterTerm(operator === "==" ? equal : not(equal));
    }
    case "contains":
    case "containsAny":
    case "containsAll":
      return filterTerm(
        setTest(operator, translate(argument.left!, scope, id), translate(argument.right!, scope, id), fail),
      );
    case "isEmpty": {
      const set = translate(argument.arg!, scope, id);
      if (set.kind === "constant" && Array.isArray(set.value))
        return filterTerm(set.value.length === 0 ? TRUE : FALSE);
      if (set.kind !== "attribute") return fail("isEmpty of an expression");
      return filterTerm({ op: "isEmpty", attribute: set.name });
    }
    case "if-then-else": {
      const branches = node["if-then-else"] as { if: Expr; then: Expr; else: Expr };
      const test = asFilter(translate(branches.if, scope, id), id);
      const then = asFilter(translate(branches.then, scope, id), id);
      const otherwise = asFilter(translate(branches.else, scope, id), id);
      return filterTerm(or([and([test, then]), and([not(test), otherwise])]));
    }
    default:
      return fail(`the operator ${operator}`);
  }
}

function equality(left: Term, right: Term, fail: (what: string) => never): FilterExpression {
  if (left.kind === "constant" && right.kind === "constant") {
    return JSON.stringify(left.value) === JSON.stringify(right.value) ? TRUE : FALSE;
  }
  const [attribute, constant] = left.kind === "attribute" ? [left, right] : [right, left];
  if (attribute.kind !== "attribute" || constant.kind !== "constant") return fail("== between expressions");
  const value = scalarOf(constant.value, fail);
  return { op: "equals", attribute: attribute.name, value };
}

function setTest(
  operator: "contains" | "containsAny" | "containsAll",
  left: Term,
  right: Term,
  fail: (what: string) => never,
): FilterExpression {
  if (left.kind === "constant" && right.kind === "constant") {
    const set = (left.value as Constant[]).map((item) => JSON.stringify(item));
    const wanted = operator === "contains" ? [right.value] : (right.value as Constant[]);
    const has = (item: Constant) => set.includes(JSON.stringify(item));
    const result = operator === "containsAny" ? wanted.some(has) : wanted.every(has);
    return result ? TRUE : FALSE;
  }
  if (left.kind !== "attribute" || right.kind !== "constant") return fail(`${operator} between expressions`);
  if (operator === "contains")
    return { op: "contains", attribute: left.name, value: scalarOf(right.value, fail) };
  if (!Array.isArray(right.value)) return fail(`${operator} with a non-set`);
  const values = right.value.map((item) => scalarOf(item, fail));
  if (values.length === 0) return operator === "containsAny" ? FALSE : TRUE;
  return { op: operator, attribute: left.name, values };
}

/** Strings compare as text; entities (set members such as assignees) compare by id. */
function scalarOf(value: Constant, fail: (what: string) => never): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && !Array.isArray(value) && "entity" in value) return value.entity;
  return fail(`comparing an attribute with ${JSON.stringify(value)}`);
}

function constantOf(value: unknown, fail: (what: string) => never): Constant {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((item) => constantOf(item, fail));
  if (value && typeof value === "object" && "__entity" in value) {
    return { entity: (value as { __entity: { id: string } }).__entity.id };
  }
  return fail(`the value ${JSON.stringify(value)}`);
}

function filterTerm(filter: FilterExpression): Term {
  return { kind: "filter", filter };
}

function asFilter(term: Term, id: string): FilterExpression {
  if (term.kind === "filter") return term.filter;
  if (term.kind === "constant" && typeof term.value === "boolean") return term.value ? TRUE : FALSE;
  throw AccessErrors.filterUntranslatable.create(`policy ${id}: a non-boolean condition`);
}

function and(operands: readonly FilterExpression[]): FilterExpression {
  const kept = operands.filter((operand) => operand.op !== "true");
  if (kept.some((operand) => operand.op === "false")) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : { op: "and", operands: kept };
}

function or(operands: readonly FilterExpression[]): FilterExpression {
  const kept = operands.filter((operand) => operand.op !== "false");
  if (kept.some((operand) => operand.op === "true")) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : { op: "or", operands: kept };
}

function not(operand: FilterExpression): FilterExpression {
  if (operand.op === "true") return FALSE;
  if (operand.op === "false") return TRUE;
  if (operand.op === "not") return operand.operand;
  return { op: "not", operand };
}

/** The SQL expression (text columns for strings, text[] for sets) of each attribute a filter may read. */
export type FilterColumns = Readonly<Record<string, Expression<unknown>>>;

/** Renders a filter as a SQL boolean over the given columns; never NULL (a NULL attribute denies). */
export function filterToSql(filter: FilterExpression, columns: FilterColumns): RawBuilder<SqlBool> {
  return sql<SqlBool>`coalesce(${render(filter, columns)}, false)`;
}

function render(filter: FilterExpression, columns: FilterColumns): RawBuilder<unknown> {
  const column = (name: string) => {
    const expression = columns[name];
    if (!expression) throw AccessErrors.filterUntranslatable.create(`no column given for attribute ${name}`);
    return expression;
  };
  switch (filter.op) {
    case "true":
      return sql`true`;
    case "false":
      return sql`false`;
    case "and":
    case "or":
      return sql`(${sql.join(
        filter.operands.map((operand) => render(operand, columns)),
        sql.raw(filter.op === "and" ? " AND " : " OR "),
      )})`;
    case "not":
      return sql`(NOT ${render(filter.operand, columns)})`;
    case "equals":
      return sql`(${column(filter.attribute)} = ${filter.value})`;
    case "contains":
      return sql`(${filter.value}::text = ANY(${column(filter.attribute)}))`;
    case "containsAny":
      return sql`(${column(filter.attribute)} && ${[...filter.values]}::text[])`;
    case "containsAll":
      return sql`(${column(filter.attribute)} @> ${[...filter.values]}::text[])`;
    case "isEmpty":
      return sql`(cardinality(${column(filter.attribute)}) = 0)`;
  }
}

/** Evaluates a filter on one row in memory (the same rule as the SQL, for tests and small lists). */
export function filterMatches(
  filter: FilterExpression,
  row: Readonly<Record<string, string | readonly string[]>>,
): boolean {
  switch (filter.op) {
    case "true":
      return true;
    case "false":
      return false;
    case "and":
      return filter.operands.every((operand) => filterMatches(operand, row));
    case "or":
      return filter.operands.some((operand) => filterMatches(operand, row));
    case "not":
      return !filterMatches(filter.operand, row);
    case "equals":
      return row[filter.attribute] === filter.value;
    case "contains":
      return (row[filter.attribute] as readonly string[]).includes(filter.value);
    case "containsAny":
      return filter.values.some((value) => (row[filter.attribute] as readonly string[]).includes(value));
    case "containsAll":
      return filter.values.every((value) => (row[filter.attribute] as readonly string[]).includes(value));
    case "isEmpty":
      return (row[filter.attribute] as readonly string[]).length === 0;
  }
}

/** A readable form of a filter, for logs, audit details and the policy viewer. */
export function describeFilter(filter: FilterExpression): string {
  switch (filter.op) {
    case "true":
    case "false":
      return filter.op;
    case "and":
    case "or":
      return `(${filter.operands.map(describeFilter).join(` ${filter.op} `)})`;
    case "not":
      return `not ${describeFilter(filter.operand)}`;
    case "equals":
      return `${filter.attribute} = ${JSON.stringify(filter.value)}`;
    case "contains":
      return `${filter.attribute} contains ${JSON.stringify(filter.value)}`;
    case "containsAny":
    case "containsAll":
      return `${filter.attribute} ${filter.op} ${JSON.stringify(filter.values)}`;
    case "isEmpty":
      return `${filter.attribute} is empty`;
  }
}
