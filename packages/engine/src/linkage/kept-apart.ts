import { conflictingSchemes, type StrongIdentifier } from "@passage/linkage";

/** A record of two persons a must-link merged that re-forming kept out of the merged person, and why. */
export interface KeptApartRecord {
  readonly record: string;
  /** Its person afterwards. */
  readonly personId: string;
  /**
   * `conflicting_identifiers`: its person and the merged one hold different values of a strong
   * identifier that no reviewer confirmed as one person's; `cannot_link`: a decision separates
   * them; `not_linked`: no automatic link joins them (it was held through a record kept apart).
   */
  readonly reason: "conflicting_identifiers" | "cannot_link" | "not_linked";
  /** The schemes on which they conflict (`conflicting_identifiers`). */
  readonly conflictingIdentifiers: readonly string[];
  /** The merged person's records holding the conflicting identifiers, or cannot-linked to its person. */
  readonly conflictsWith: readonly string[];
}

/** A clustering of records (by index) and what kept its clusters apart. */
export interface KeptApartInput {
  readonly keys: readonly string[];
  readonly clusters: readonly (readonly number[])[];
  readonly clusterOf: Int32Array;
  /** The person id of each cluster. */
  readonly personIds: readonly string[];
  readonly identifiers: readonly (readonly StrongIdentifier[])[];
  /** Current cannot-link decisions, by record index. */
  readonly cannotLinks: readonly (readonly [number, number])[];
  /** The cluster the must-link formed. */
  readonly merged: number;
  /** The records of the two persons merged. */
  readonly former: readonly number[];
}

/**
 * The records of the merged persons that ended up outside the merged person, each with the reason
 * its person stands apart from it (what the clustering refused), in record order.
 */
export function keptApartOf(input: KeptApartInput): KeptApartRecord[] {
  const { keys, clusters, clusterOf, identifiers } = input;
  const merged = new Set(clusters[input.merged]);
  const mergedIdentifiers = [...merged].flatMap((index) => identifiers[index]!);
  const reasons = new Map<number, Omit<KeptApartRecord, "record" | "personId">>();
  const reasonOf = (cluster: number): Omit<KeptApartRecord, "record" | "personId"> => {
    const separating = input.cannotLinks.flatMap(([left, right]) =>
      clusterOf[left] === cluster && merged.has(right)
        ? [keys[right]!]
        : clusterOf[right] === cluster && merged.has(left)
          ? [keys[left]!]
          : [],
    );
    if (separating.length > 0)
      return {
        reason: "cannot_link",
        conflictingIdentifiers: [],
        conflictsWith: [...new Set(separating)].sort(),
      };
    const own = clusters[cluster]!.flatMap((index) => identifiers[index]!);
    const schemes = conflictingSchemes(own, mergedIdentifiers);
    if (schemes.length === 0) return { reason: "not_linked", conflictingIdentifiers: [], conflictsWith: [] };
    const holders = [...merged].filter((index) => conflictingSchemes(own, identifiers[index]!).length > 0);
    return {
      reason: "conflicting_identifiers",
      conflictingIdentifiers: schemes,
      conflictsWith: holders.map((index) => keys[index]!).sort(),
    };
  };
  return input.former
    .filter((index) => clusterOf[index] !== input.merged)
    .map((index) => {
      const cluster = clusterOf[index]!;
      let reason = reasons.get(cluster);
      if (!reason) {
        reason = reasonOf(cluster);
        reasons.set(cluster, reason);
      }
      return { record: keys[index]!, personId: input.personIds[cluster]!, ...reason };
    })
    .sort((a, b) => (a.record < b.record ? -1 : a.record > b.record ? 1 : 0));
}
