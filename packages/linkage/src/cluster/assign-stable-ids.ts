/** The outcome of carrying person ids over from a previous run. */
export interface StableIdAssignment {
  /** One id per new cluster, in the order given. */
  readonly ids: readonly string[];
  readonly carried: number;
  readonly minted: number;
  /** Previous ids no new cluster carries (merged into another person, or all records gone). */
  readonly retired: readonly string[];
}

/**
 * Carries person ids across re-runs: each previous person's id goes to the new cluster holding
 * most of its surviving records (maximum overlap, one-to-one, largest overlaps first), provided
 * that cluster holds at least half of them; every other new cluster gets a freshly minted id.
 * Deterministic: ties break by previous id, then by the new cluster's position.
 */
export function assignStableIds(
  previous: ReadonlyMap<string, readonly string[]>,
  next: readonly (readonly string[])[],
  mintId: () => string,
): StableIdAssignment {
  const previousIdOf = new Map<string, string>();
  for (const [id, members] of previous) for (const member of members) previousIdOf.set(member, id);
  const surviving = new Map<string, number>();
  const candidates: { cluster: number; id: string; overlap: number; share: number }[] = [];
  next.forEach((members, cluster) => {
    const overlaps = new Map<string, number>();
    for (const member of members) {
      const id = previousIdOf.get(member);
      if (id === undefined) continue;
      overlaps.set(id, (overlaps.get(id) ?? 0) + 1);
      surviving.set(id, (surviving.get(id) ?? 0) + 1);
    }
    for (const [id, overlap] of overlaps)
      candidates.push({ cluster, id, overlap, share: overlap / members.length });
  });
  candidates.sort(
    (a, b) =>
      b.overlap - a.overlap ||
      b.share - a.share ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      a.cluster - b.cluster,
  );
  const ids: (string | undefined)[] = next.map(() => undefined);
  const used = new Set<string>();
  let carried = 0;
  for (const candidate of candidates) {
    if (ids[candidate.cluster] !== undefined || used.has(candidate.id)) continue;
    if (candidate.overlap * 2 < surviving.get(candidate.id)!) continue;
    ids[candidate.cluster] = candidate.id;
    used.add(candidate.id);
    carried += 1;
  }
  let minted = 0;
  const final = ids.map((id) => {
    if (id !== undefined) return id;
    minted += 1;
    let fresh = mintId();
    while (previous.has(fresh) || used.has(fresh)) fresh = mintId();
    used.add(fresh);
    return fresh;
  });
  const retired = [...previous.keys()].filter((id) => !used.has(id)).sort();
  return { ids: final, carried, minted, retired };
}
