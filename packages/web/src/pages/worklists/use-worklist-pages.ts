import { useCallback, useEffect, useRef, useState } from "react";
import { fetchWorklistPage, WORKLIST_PAGE_SIZE, type WorklistPage } from "../../api/worklist-api.ts";
import type { WorklistEntry } from "./worklist-entry.ts";

export interface WorklistPages {
  readonly total: number | undefined;
  readonly policy: WorklistPage["policy"] | undefined;
  readonly error: unknown;
  entryAt(index: number): WorklistEntry | undefined;
  /** Loads the pages covering these rows, if not loaded or loading. */
  ensure(first: number, last: number): void;
  reload(): void;
}

/** A listed entry as a table row: shown in the tier in force, under that tier's label. */
export function worklistRowOf(entry: WorklistPage["entries"][number]): WorklistEntry {
  return {
    personId: entry.personId,
    tier: entry.effectiveTier,
    tierLabel: entry.effectiveTierLabel,
    policyTier: entry.tier,
    policyTierLabel: entry.tierLabel,
    score: entry.score,
    orderFinalDate: entry.orderFinalDate,
    policyVersion: entry.policyVersion,
    overridden: entry.override !== null,
  };
}

/**
 * The worklist loaded page by page (1,000 rows each) as the table scrolls, so 100,000 cases cost
 * only the pages looked at. A filter change starts over.
 */
export function useWorklistPages(filter: { tier?: number | undefined }, purpose: string): WorklistPages {
  const [pages, setPages] = useState<ReadonlyMap<number, readonly WorklistEntry[]>>(new Map());
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [policy, setPolicy] = useState<WorklistPage["policy"] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const requested = useRef(new Set<number>());
  const controller = useRef<AbortController | undefined>(undefined);

  const load = useCallback(
    (page: number) => {
      if (requested.current.has(page) || !purpose) return;
      requested.current.add(page);
      const signal = controller.current?.signal;
      fetchWorklistPage({ page, pageSize: WORKLIST_PAGE_SIZE, tier: filter.tier }, purpose, signal).then(
        (answer) => {
          if (signal?.aborted) return;
          setTotal(answer.total);
          setPolicy(answer.policy);
          setPages((current) => new Map(current).set(page, answer.entries.map(worklistRowOf)));
        },
        (failure: unknown) => {
          if (signal?.aborted) return;
          requested.current.delete(page);
          setError(failure);
        },
      );
    },
    [filter.tier, purpose],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation forces a reload
  useEffect(() => {
    controller.current?.abort();
    controller.current = new AbortController();
    requested.current = new Set();
    setPages(new Map());
    setTotal(undefined);
    setError(undefined);
    load(1);
    return () => controller.current?.abort();
  }, [load, generation]);

  return {
    total,
    policy,
    error,
    entryAt: (index) => pages.get(Math.floor(index / WORKLIST_PAGE_SIZE) + 1)?.[index % WORKLIST_PAGE_SIZE],
    ensure(first, last) {
      const from = Math.floor(first / WORKLIST_PAGE_SIZE) + 1;
      const to = Math.floor(last / WORKLIST_PAGE_SIZE) + 1;
      for (let page = from; page <= to; page++) load(page);
    },
    reload: () => setGeneration((value) => value + 1),
  };
}
