import type { LifecycleSources } from "../derive-person-statuses.ts";
import { CONFIRMED_IDENTITY } from "../policy-inputs.ts";

/**
 * Lifecycle sources for tests that are not about identity or citizenship: every identity is
 * confirmed and no one claims citizenship, unless `overrides` replaces either source.
 */
export function confirmedIdentitySources(overrides: Partial<LifecycleSources> = {}): LifecycleSources {
  return {
    identityFacts: async (_executor, ids) => new Map(ids.map((id) => [id, CONFIRMED_IDENTITY])),
    citizenshipClaims: async () => new Map(),
    ...overrides,
  };
}
