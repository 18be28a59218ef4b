import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { LifecycleRules } from "@passage/core";
import { executeSql, findRecordsOfPersons, type Store } from "@passage/store";
import type { LifecycleTruth } from "@passage/synth";
import { evaluatePerson, type LifecycleSources } from "../lifecycle/derive-person-statuses.ts";
import { CONFIRMED_IDENTITY } from "../lifecycle/policy-inputs.ts";
import {
  classifyMismatch,
  compareWithTruth,
  type LinkageOutcome,
  type MismatchClass,
  type TruthMismatch,
} from "./lifecycle-truth.ts";

export interface TruthEvaluationReport {
  readonly persons: number;
  readonly matched: number;
  readonly matchRate: number;
  readonly byClass: Readonly<Record<MismatchClass, number>>;
  /** Mismatches by ambiguity reason (deliberately ambiguous records). */
  readonly ambiguityReasons: Readonly<Record<string, number>>;
  /** Mismatches by field. */
  readonly byField: Readonly<Record<string, number>>;
  /** Up to 20 examples per class. */
  readonly examples: Readonly<
    Record<
      MismatchClass,
      readonly { personId: string; scenario: string; mismatches: readonly TruthMismatch[] }[]
    >
  >;
}

const BATCH = 1000;
const EXAMPLES = 20;

/**
 * Compares every person's derived status with the synthetic generator's ground truth (issue 4,
 * "Must show"): the records as linked in the database, each status derived as of the truth's
 * reference date, every mismatch classified (linkage error, deliberately ambiguous record, or an
 * engine disagreement). Reads `DIR/truth.csv` and `DIR/truth.lifecycle.ndjson` of `passage synth`.
 */
/**
 * The engine persons that stand for a true person: the one holding most of its records, or, when
 * the engine split the person into equal parts, each of those parts, in the order of their first
 * record in the truth's list. The trial counts a split into equal parts as a match only if every
 * part's status matches (no part stands for the person better than another, and an officer may
 * find either), so its figures never depend on person ids, which differ from run to run.
 */
export function enginePersonsOfTruth(
  truthRecords: readonly string[],
  membership: ReadonlyMap<string, string>,
): { candidates: string[]; counts: Map<string, number>; unlinked: number } {
  // Insertion order is the order of each person's first record in the truth's list.
  const counts = new Map<string, number>();
  let unlinked = 0;
  for (const reference of truthRecords) {
    const person = membership.get(reference);
    if (person === undefined) unlinked++;
    else counts.set(person, (counts.get(person) ?? 0) + 1);
  }
  const most = Math.max(0, ...counts.values());
  const candidates = [...counts].filter(([, count]) => count === most).map(([person]) => person);
  return { candidates, counts, unlinked };
}

export async function evaluateLifecycleAgainstTruth(
  store: Pick<Store, "db">,
  options: {
    truthDir: string;
    /** Compare with the truth once review has confirmed identities (`after_review`). */
    reviewed?: boolean;
    rules: LifecycleRules;
    sources: LifecycleSources;
    onProgress?: (persons: number) => void;
  },
): Promise<TruthEvaluationReport> {
  const entityTruth = await readTruthCsv(path.join(options.truthDir, "truth.csv"));
  const membership = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const row of await executeSql<{ feed: string; key_value: string; person_id: string }>(
    store.db,
    "SELECT feed, key_value, person_id FROM person_member",
  )) {
    const entity = `${row.feed}:${row.key_value}`;
    membership.set(entity, row.person_id);
    const list = members.get(row.person_id);
    if (list) list.push(entity);
    else members.set(row.person_id, [entity]);
  }

  const byClass: Record<MismatchClass, number> = {
    linkage_error: 0,
    ambiguous_record: 0,
    engine_disagreement: 0,
  };
  const examples: Record<
    MismatchClass,
    { personId: string; scenario: string; mismatches: TruthMismatch[] }[]
  > = {
    linkage_error: [],
    ambiguous_record: [],
    engine_disagreement: [],
  };
  const ambiguityReasons: Record<string, number> = {};
  const byField: Record<string, number> = {};
  let persons = 0;
  let matched = 0;

  const evaluateBatch = async (batch: LifecycleTruth[]) => {
    const chosen = new Map<string, { candidates: string[]; counts: Map<string, number>; unlinked: number }>();
    for (const truth of batch) chosen.set(truth.person_id, enginePersonsOfTruth(truth.records, membership));
    const personIds = [...new Set([...chosen.values()].flatMap((entry) => entry.candidates))];
    const [records, identities, claims] = await Promise.all([
      findRecordsOfPersons(store.db, personIds),
      options.sources.identityFacts(store.db, personIds),
      options.sources.citizenshipClaims(store.db, personIds),
    ]);
    const compare = (truth: LifecycleTruth, enginePerson: string | undefined) =>
      compareWithTruth(
        truth,
        evaluatePerson(
          enginePerson ?? truth.person_id,
          enginePerson ? (records.get(enginePerson) ?? []) : [],
          {
            asOf: truth.as_of,
            rules: options.rules,
            identity: (enginePerson && identities.get(enginePerson)) || CONFIRMED_IDENTITY,
            claims: (enginePerson && claims.get(enginePerson)) || [],
          },
        ),
      );
    for (const truth of batch) {
      persons++;
      const { candidates, counts, unlinked } = chosen.get(truth.person_id)!;
      // The first part whose status mismatches, else the first part (or none: nothing linked).
      let enginePerson = candidates[0];
      let mismatches = compare(truth, enginePerson);
      for (const candidate of candidates.slice(1)) {
        if (mismatches.length > 0) break;
        enginePerson = candidate;
        mismatches = compare(truth, candidate);
      }
      if (mismatches.length === 0) {
        matched++;
        continue;
      }
      const foreign = enginePerson
        ? (members.get(enginePerson) ?? []).filter((entity) => entityTruth.get(entity) !== truth.person_id)
            .length
        : 0;
      const linkage: LinkageOutcome = {
        enginePersons: counts.size,
        foreignRecords: foreign,
        unlinkedRecords: unlinked,
      };
      const identity = enginePerson ? identities.get(enginePerson) : undefined;
      const openReviewLinks =
        (identity?.reviewBandLinks.length ?? 0) + (identity?.conflictingIdentifiers.length ?? 0);
      const kind = classifyMismatch(truth, { ...linkage, openReviewLinks }, mismatches);
      byClass[kind]++;
      if (kind === "ambiguous_record") {
        for (const reason of truth.ambiguous!.split("; "))
          ambiguityReasons[reason] = (ambiguityReasons[reason] ?? 0) + 1;
      }
      for (const mismatch of mismatches) byField[mismatch.field] = (byField[mismatch.field] ?? 0) + 1;
      if (examples[kind].length < EXAMPLES)
        examples[kind].push({ personId: truth.person_id, scenario: truth.scenario, mismatches });
    }
    options.onProgress?.(persons);
  };

  let batch: LifecycleTruth[] = [];
  for await (const truth of readLifecycleTruth(
    path.join(options.truthDir, "truth.lifecycle.ndjson"),
    options,
  )) {
    batch.push(truth);
    if (batch.length >= BATCH) {
      await evaluateBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await evaluateBatch(batch);
  return {
    persons,
    matched,
    matchRate: persons === 0 ? 0 : matched / persons,
    byClass,
    ambiguityReasons,
    byField,
    examples,
  };
}

/**
 * Each line of `truth.lifecycle.ndjson`: one person's true lifecycle, streamed. With `reviewed`,
 * the truth once a reviewer has confirmed every person's identity: the gates and actionability
 * of `after_review`.
 */
export async function* readLifecycleTruth(
  file: string,
  options: { readonly reviewed?: boolean } = {},
): AsyncGenerator<LifecycleTruth> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const truth = JSON.parse(line) as LifecycleTruth;
    yield options.reviewed ? { ...truth, ...truth.after_review } : truth;
  }
}

/** `truth.csv` (`feed,key,person_id`) as entity (`feed:key`) -> true person. */
export async function readTruthCsv(file: string): Promise<Map<string, string>> {
  const truth = new Map<string, string>();
  const lines = readline.createInterface({
    input: fs.createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [feed, key, personId] = line.split(",");
    if (feed && key && personId) truth.set(`${feed}:${key}`, personId);
  }
  return truth;
}
