/** Cluster-level figures: how persons were split and merged. */
export interface ClusterFigures {
  readonly records: number;
  readonly truePersons: number;
  readonly predictedPersons: number;
  /** B-cubed precision and recall (Bagga and Baldwin 1998), averaged over records. */
  readonly bCubedPrecision: number;
  readonly bCubedRecall: number;
  readonly bCubedF1: number;
  /** Predicted clusters that are exactly one true person. */
  readonly exactClusters: number;
  /** True persons whose records are spread over more than one cluster. */
  readonly truePersonsSplit: number;
  /** Predicted clusters holding records of more than one true person. */
  readonly clustersMergingPersons: number;
  /** Predicted clusters holding two true persons that carry different values of the identifier. */
  readonly mergesWithConflictingIdentifiers: number;
}

/**
 * Compares predicted clusters with the truth. `identifierOf` names the identifier whose
 * conflicting merges are counted (the A-number for Passage's feeds).
 */
export function evaluateClusters(
  clusterOf: ReadonlyMap<string, string>,
  truth: ReadonlyMap<string, string>,
  identifierOf?: (id: string) => string | undefined,
): ClusterFigures {
  const clusters = new Map<string, string[]>();
  const persons = new Map<string, string[]>();
  for (const [id, person] of truth) {
    const cluster = clusterOf.get(id);
    if (cluster === undefined) continue;
    push(clusters, cluster, id);
    push(persons, person, id);
  }
  const overlap = new Map<string, number>();
  for (const [cluster, members] of clusters) {
    for (const id of members) {
      const key = `${cluster}\u0000${truth.get(id)}`;
      overlap.set(key, (overlap.get(key) ?? 0) + 1);
    }
  }
  let precisionSum = 0;
  let recallSum = 0;
  let records = 0;
  for (const [cluster, members] of clusters) {
    for (const id of members) {
      const person = truth.get(id)!;
      const shared = overlap.get(`${cluster}\u0000${person}`)!;
      precisionSum += shared / members.length;
      recallSum += shared / persons.get(person)!.length;
      records += 1;
    }
  }
  let exactClusters = 0;
  let clustersMergingPersons = 0;
  let mergesWithConflictingIdentifiers = 0;
  for (const members of clusters.values()) {
    const personsHere = new Map<string, Set<string>>();
    for (const id of members) {
      const person = truth.get(id)!;
      const identifiers = personsHere.get(person) ?? new Set<string>();
      const identifier = identifierOf?.(id);
      if (identifier !== undefined) identifiers.add(identifier);
      personsHere.set(person, identifiers);
    }
    if (personsHere.size === 1) {
      const person = personsHere.keys().next().value!;
      if (persons.get(person)!.length === members.length) exactClusters += 1;
      continue;
    }
    clustersMergingPersons += 1;
    if (identifierOf && holdsConflictingIdentifiers([...personsHere.values()]))
      mergesWithConflictingIdentifiers += 1;
  }
  let truePersonsSplit = 0;
  for (const members of persons.values()) {
    const clustersOfPerson = new Set(members.map((id) => clusterOf.get(id)));
    if (clustersOfPerson.size > 1) truePersonsSplit += 1;
  }
  const bCubedPrecision = records === 0 ? 1 : precisionSum / records;
  const bCubedRecall = records === 0 ? 1 : recallSum / records;
  return {
    records,
    truePersons: persons.size,
    predictedPersons: clusters.size,
    bCubedPrecision,
    bCubedRecall,
    bCubedF1: (2 * bCubedPrecision * bCubedRecall) / (bCubedPrecision + bCubedRecall || 1),
    exactClusters,
    truePersonsSplit,
    clustersMergingPersons,
    mergesWithConflictingIdentifiers,
  };
}

/** Whether two of the persons carry identifiers and no value is shared between them. */
function holdsConflictingIdentifiers(identifierSets: readonly Set<string>[]): boolean {
  const withIdentifiers = identifierSets.filter((set) => set.size > 0);
  for (let a = 0; a < withIdentifiers.length; a += 1) {
    for (let b = a + 1; b < withIdentifiers.length; b += 1) {
      const shared = [...withIdentifiers[a]!].some((value) => withIdentifiers[b]!.has(value));
      if (!shared) return true;
    }
  }
  return false;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
