import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs an async load when its dependencies change and keeps the last answer; a newer load
 * cancels an older one (its AbortSignal fires) so a slow answer never overwrites a fresh one.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  dependencies: DependencyList,
): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadReference = useRef(load);
  loadReference.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's dependency list decides when to reload
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loadReference.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...dependencies, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload };
}
