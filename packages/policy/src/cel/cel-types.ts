/**
 * Static types of the CEL subset rules are written in. Case facts are typed, so every
 * expression's type is known when a policy loads: a comparison of a number with a string, a
 * field a record does not have or a name that is not a case fact fails there, not on a case.
 */
export type CelValueType =
  | { readonly kind: "bool" }
  | { readonly kind: "int" }
  | { readonly kind: "double" }
  | { readonly kind: "string" }
  /** Only the element type of an empty list literal; never a fact's type. */
  | { readonly kind: "dyn" }
  | { readonly kind: "list"; readonly element: CelValueType }
  | { readonly kind: "record"; readonly name: string; readonly fields: readonly RecordField[] };

/** A field of a record type; at run time a record is an array indexed by field position. */
export interface RecordField {
  readonly name: string;
  readonly type: CelValueType;
  readonly description: string;
}

export const BOOL: CelValueType = { kind: "bool" };
export const INT: CelValueType = { kind: "int" };
export const DOUBLE: CelValueType = { kind: "double" };
export const STRING: CelValueType = { kind: "string" };
export const DYN: CelValueType = { kind: "dyn" };

/** `list(element)`. */
export function listOf(element: CelValueType): CelValueType {
  return { kind: "list", element };
}

/** A record type whose fields are listed in their run-time order. */
export function recordType(name: string, fields: readonly RecordField[]): CelValueType {
  return { kind: "record", name, fields };
}

/** `list(int)`, `Conviction`, ... — the printed form used in error messages. */
export function formatType(type: CelValueType): string {
  switch (type.kind) {
    case "list":
      return `list(${formatType(type.element)})`;
    case "record":
      return type.name;
    default:
      return type.kind;
  }
}

export function isNumeric(type: CelValueType): boolean {
  return type.kind === "int" || type.kind === "double";
}

/**
 * The common type of two types, or undefined when they do not agree. `dyn` (an empty list's
 * element) agrees with anything and yields the other side.
 */
export function unifyTypes(left: CelValueType, right: CelValueType): CelValueType | undefined {
  if (left.kind === "dyn") return right;
  if (right.kind === "dyn") return left;
  if (left.kind === "list" && right.kind === "list") {
    const element = unifyTypes(left.element, right.element);
    return element === undefined ? undefined : listOf(element);
  }
  if (left.kind === "record" && right.kind === "record") return left.name === right.name ? left : undefined;
  return left.kind === right.kind ? left : undefined;
}

/** True when the type contains `dyn` anywhere (not yet known). */
export function containsDyn(type: CelValueType): boolean {
  if (type.kind === "dyn") return true;
  return type.kind === "list" ? containsDyn(type.element) : false;
}
