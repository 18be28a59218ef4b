import path from "node:path";
import { executeSql, type Store } from "@passage/store";
import type { LifecycleTruth } from "@passage/synth";
import { readLifecycleTruth, readTruthCsv } from "./evaluate-lifecycle-truth.ts";
import { classifyMismatch, type LinkageOutcome, type MismatchClass } from "./lifecycle-truth.ts";

/** A list of persons an officer acts on: a worklist under some policy, or a plan's manifests. */
export interface ActionList {
  readonly name: string;
  /** Engine person ids on the list. */
  readonly personIds: readonly string[];
}

/** A true person with a blocker or gate whose records sit in a person on an action list. */
export interface BarredListing {
  readonly list: string;
  readonly enginePersonId: string;
  readonly truePersonId: string;
  readonly scenario: string;
  /** The true blockers (DOMAIN.md §1.9, binding law) and gates that should have kept them off. */
  readonly bars: readonly string[];
  /** Why, classified as lifecycle mismatches are: the records deliberately ambiguous, linkage formed another person, or neither. */
  readonly cause: MismatchClass;
  readonly linkage: LinkageOutcome;
}

export interface BarredOnListsReport {
  /** True persons whose true state carries a legal blocker or a gate. */
  readonly trulyBarredPersons: number;
  readonly lists: readonly {
    readonly name: string;
    readonly enginePersons: number;
    /** True persons with at least one record in a listed engine person. */
    readonly truePersons: number;
    readonly barred: number;
  }[];
  /** Distinct truly barred persons on any list (the figure issue 5 wants to be zero). */
  readonly barred: number;
  /** Barred persons on any list by blocker or gate. */
  readonly byBar: Readonly<Record<string, number>>;
  /** Barred persons on any list by cause. */
  readonly byCause: Readonly<Record<MismatchClass, number>>;
  /** Up to 20 barred listings. */
  readonly examples: readonly BarredListing[];
}

const EXAMPLES = 20;

/**
 * Checks issue 5's "zero persons whose true state carries a §1.9 blocker or a gate on any
 * worklist or manifest" against the synthetic ground truth. Lists hold engine persons; a true
 * person counts as listed when any of its records sits in a listed engine person, so a merge
 * that drags a blocked person's records onto the worklist is counted too. The truth's
 * `blockers` are the legal (binding law) ones only: policy-dependent protections (DACA, pending
 * T/U/VAWA/SIJ) are for a policy to weigh, not gates (issue 5, Deliver 1).
 */
export async function findTrulyBarredOnLists(
  store: Pick<Store, "db">,
  /** `reviewed`: bars once review has confirmed identities (`after_review`). */
  options: { truthDir: string; lists: readonly ActionList[]; reviewed?: boolean },
): Promise<BarredOnListsReport> {
  const barredTruth = new Map<string, { truth: LifecycleTruth; bars: string[] }>();
  for await (const truth of readLifecycleTruth(
    path.join(options.truthDir, "truth.lifecycle.ndjson"),
    options,
  )) {
    const bars = [...truth.blockers, ...truth.gates];
    if (bars.length > 0) barredTruth.set(truth.person_id, { truth, bars });
  }
  const entityTruth = await readTruthCsv(path.join(options.truthDir, "truth.csv"));
  const listed = [...new Set(options.lists.flatMap((list) => list.personIds))];
  const truePersonsOf = new Map<string, Set<string>>();
  for (const row of await executeSql<{ feed: string; key_value: string; person_id: string }>(
    store.db,
    "SELECT feed, key_value, person_id FROM person_member WHERE person_id = ANY($1::text[])",
    [listed],
  )) {
    const truePerson = entityTruth.get(`${row.feed}:${row.key_value}`);
    if (truePerson === undefined) continue;
    const set = truePersonsOf.get(row.person_id) ?? new Set<string>();
    set.add(truePerson);
    truePersonsOf.set(row.person_id, set);
  }

  const listings: { list: string; enginePersonId: string; truePersonId: string }[] = [];
  const lists = options.lists.map((list) => {
    const truePersons = new Set<string>();
    const barred = new Set<string>();
    for (const enginePersonId of list.personIds) {
      for (const truePersonId of truePersonsOf.get(enginePersonId) ?? []) {
        truePersons.add(truePersonId);
        if (!barredTruth.has(truePersonId) || barred.has(truePersonId)) continue;
        barred.add(truePersonId);
        listings.push({ list: list.name, enginePersonId, truePersonId });
      }
    }
    return {
      name: list.name,
      enginePersons: list.personIds.length,
      truePersons: truePersons.size,
      barred: barred.size,
    };
  });
  const barredAnywhere = [...new Set(listings.map((listing) => listing.truePersonId))];
  const outcomes = await linkageOutcomesOf(
    store,
    barredAnywhere.map((truePersonId) => barredTruth.get(truePersonId)!.truth),
    listings,
    entityTruth,
  );
  const byBar: Record<string, number> = {};
  const byCause: Record<MismatchClass, number> = {
    linkage_error: 0,
    ambiguous_record: 0,
    engine_disagreement: 0,
  };
  for (const truePersonId of barredAnywhere) {
    const { truth, bars } = barredTruth.get(truePersonId)!;
    for (const bar of bars) byBar[bar] = (byBar[bar] ?? 0) + 1;
    byCause[classifyMismatch(truth, outcomes.get(truePersonId)!)]++;
  }
  const examples = listings.slice(0, EXAMPLES).map((listing): BarredListing => {
    const { truth, bars } = barredTruth.get(listing.truePersonId)!;
    const linkage = outcomes.get(listing.truePersonId)!;
    return { ...listing, scenario: truth.scenario, bars, cause: classifyMismatch(truth, linkage), linkage };
  });
  return {
    trulyBarredPersons: barredTruth.size,
    lists,
    barred: barredAnywhere.length,
    byBar,
    byCause,
    examples,
  };
}

/**
 * How linkage formed each listed barred true person: over how many engine persons its records
 * are spread, how many are in none, and how many foreign records the listed engine persons hold.
 */
async function linkageOutcomesOf(
  store: Pick<Store, "db">,
  truths: readonly LifecycleTruth[],
  listings: readonly { enginePersonId: string; truePersonId: string }[],
  entityTruth: ReadonlyMap<string, string>,
): Promise<Map<string, LinkageOutcome>> {
  const entities = truths.flatMap((truth) => truth.records);
  const enginePersons = [...new Set(listings.map((listing) => listing.enginePersonId))];
  const membership = new Map<string, string>();
  const membersOf = new Map<string, string[]>();
  for (const row of await executeSql<{ entity: string; person_id: string }>(
    store.db,
    `SELECT feed || ':' || key_value AS entity, person_id FROM person_member
     WHERE feed || ':' || key_value = ANY($1::text[]) OR person_id = ANY($2::text[])`,
    [entities, enginePersons],
  )) {
    membership.set(row.entity, row.person_id);
    membersOf.set(row.person_id, [...(membersOf.get(row.person_id) ?? []), row.entity]);
  }
  const outcomes = new Map<string, LinkageOutcome>();
  for (const truth of truths) {
    const holding = new Set<string>();
    let unlinked = 0;
    for (const entity of truth.records) {
      const person = membership.get(entity);
      if (person === undefined) unlinked++;
      else holding.add(person);
    }
    const listed = listings
      .filter((listing) => listing.truePersonId === truth.person_id)
      .map((listing) => listing.enginePersonId);
    const foreign = new Set(
      listed.flatMap((person) =>
        (membersOf.get(person) ?? []).filter((entity) => entityTruth.get(entity) !== truth.person_id),
      ),
    );
    outcomes.set(truth.person_id, {
      enginePersons: holding.size,
      foreignRecords: foreign.size,
      unlinkedRecords: unlinked,
    });
  }
  return outcomes;
}
