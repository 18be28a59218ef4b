import type { ErrorDefinition } from "./passage-error.ts";

const registered = new Map<string, ErrorDefinition<never[]>>();

/**
 * Each package registers its error registry here so that one meta-test can check that every
 * code is unique and documented, and the HTTP layer can list them in its OpenAPI document.
 */
export function registerErrors(
  packageName: string,
  definitions: Record<string, ErrorDefinition<never>>,
): void {
  for (const definition of Object.values(definitions)) {
    const existing = registered.get(definition.code);
    if (existing && existing !== (definition as unknown)) {
      throw new Error(`error code ${definition.code} registered twice (second time by ${packageName})`);
    }
    registered.set(definition.code, definition as unknown as ErrorDefinition<never[]>);
  }
}

/** Every registered error definition, sorted by code. */
export function registeredErrors(): ErrorDefinition<never[]>[] {
  return [...registered.values()].sort((a, b) => a.code.localeCompare(b.code));
}
