import type { NewLinkageDecision } from "@passage/store";
import type { BatchPopulation } from "./batch-population.ts";
import { LINKAGE_ACTOR } from "./link-records.ts";

/**
 * Must-link decisions that keep records someone placed in a person outside linkage (a redress
 * correction, a data load) where they were put: each placed record is joined to a record of the
 * same person that linkage already knows, or, when none is known, to the person's first placed
 * record. Each names its placed record (`placedRecord`): never matched on its content, it is held
 * where it was placed and its auto-links join no persons (`clusterRecords`' `placedRecordId`), as
 * the incremental path attaches it to its person alone. A placement that would contradict a
 * cannot-link (directly or through must-links) is left out: the human decision wins, and the
 * record is linked on its merits.
 */
export function consistentPlacements(
  population: BatchPopulation,
  _requestedBy: string,
): NewLinkageDecision[] {
  const inPopulation = new Set(population.keys);
  const byPerson = new Map<string, { known: string[]; placed: string[] }>();
  for (const [key, personId] of population.membership) {
    if (!inPopulation.has(key)) continue;
    const entry = byPerson.get(personId) ?? { known: [], placed: [] };
    if (population.entityIds.has(key)) entry.known.push(key);
    else entry.placed.push(key);
    byPerson.set(personId, entry);
  }
  const components = new DecisionComponents(population.decisions);
  const placements: NewLinkageDecision[] = [];
  for (const [personId, { known, placed }] of [...byPerson].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (placed.length === 0) continue;
    const sortedPlaced = [...placed].sort();
    const anchor = [...known].sort()[0] ?? sortedPlaced[0]!;
    for (const key of sortedPlaced) {
      if (key === anchor || !components.tryJoin(anchor, key)) continue;
      placements.push(
        placementOf(
          anchor,
          key,
          `placed in person ${personId} outside linkage (a redress correction or a data load)`,
        ),
      );
    }
  }
  return placements;
}

/** Must-link components with the cannot-links between them, to test a new must-link. */
/** The must-link that keeps `placed` with `anchor`, a record of the person it was placed in. */
export function placementOf(anchor: string, placed: string, reason: string): NewLinkageDecision {
  return {
    leftRecord: anchor,
    rightRecord: placed,
    decision: "must_link",
    source: "placement",
    placedRecord: placed,
    decidedBy: LINKAGE_ACTOR,
    reason,
  };
}

export class DecisionComponents {
  readonly #parent = new Map<string, string>();
  readonly #cannot = new Map<string, Set<string>>();

  constructor(decisions: readonly { leftRecord: string; rightRecord: string; decision: string }[]) {
    for (const decision of decisions)
      if (decision.decision === "must_link") this.#union(decision.leftRecord, decision.rightRecord);
    for (const decision of decisions) {
      if (decision.decision !== "cannot_link") continue;
      this.#addCannot(this.find(decision.leftRecord), this.find(decision.rightRecord));
    }
  }

  find(key: string): string {
    let root = key;
    while (this.#parent.has(root) && this.#parent.get(root) !== root) root = this.#parent.get(root)!;
    if (root !== key) this.#parent.set(key, root);
    return root;
  }

  /** Whether a must-link between the two may be added (and adds it when so). */
  tryJoin(left: string, right: string): boolean {
    const a = this.find(left);
    const b = this.find(right);
    if (a === b) return true;
    if (this.separated(a, b)) return false;
    this.#union(a, b);
    const moved = this.#cannot.get(b);
    if (moved) for (const other of moved) this.#addCannot(a, this.find(other));
    return true;
  }

  /** Whether a cannot-link separates the two components. */
  separated(left: string, right: string): boolean {
    const a = this.find(left);
    const b = this.find(right);
    for (const other of this.#cannot.get(a) ?? []) if (this.find(other) === b) return true;
    return false;
  }

  #union(left: string, right: string): void {
    const a = this.find(left);
    const b = this.find(right);
    if (a !== b) this.#parent.set(b, a);
    if (!this.#parent.has(a)) this.#parent.set(a, a);
  }

  #addCannot(a: string, b: string): void {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const set = this.#cannot.get(from) ?? new Set<string>();
      set.add(to);
      this.#cannot.set(from, set);
    }
  }
}
