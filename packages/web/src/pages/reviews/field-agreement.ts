/** How two records' values of one field compare, as the review table marks it. */
export interface FieldAgreement {
  readonly agreement: "same" | "differs" | "missing";
  /** The engine's comparison level for the pair (e.g. `variant`, `typo`) when the API gave one. */
  readonly level: string | undefined;
}

/**
 * Compares one field of a pair: by the engine's own comparison level for this pair where the API
 * gives one for a comparison of that name (`exact` is the same value after the engine's
 * standardisation, which folds accents and case), else by the values with accents, case and spacing
 * folded, so "María Rosa" and "MARIA ROSA" are never marked as differing while the weights table
 * counts them as agreeing.
 */
export function fieldAgreement(left: string, right: string, level: string | undefined): FieldAgreement {
  if (left === "" || right === "") return { agreement: "missing", level };
  if (level === "exact") return { agreement: "same", level };
  if (level === "missing") return { agreement: "missing", level };
  if (level !== undefined) return { agreement: "differs", level };
  return { agreement: folded(left) === folded(right) ? "same" : "differs", level };
}

/** A value without accents, case or extra spacing. */
function folded(value: string): string {
  return value.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}
