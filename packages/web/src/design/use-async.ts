import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { type AsyncAnswer, answerFor } from "./async-answer.ts";

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Runs an async load when its dependencies change and keeps the answer to those dependencies; a
 * newer load cancels an older one (its AbortSignal fires) so a slow answer never overwrites a
 * fresh one. The data shown always belongs to the current dependencies: a change of them (another
 * person, another query) clears it at once, and a failed load leaves none. `reload()` keeps the
 * current data on screen until the fresh answer arrives.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  dependencies: DependencyList,
): AsyncState<T> {
  const [answer, setAnswer] = useState<AsyncAnswer<T> | undefined>(undefined);
  const [pending, setPending] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadReference = useRef(load);
  loadReference.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's dependency list decides when to reload
  useEffect(() => {
    const controller = new AbortController();
    const loadedFor = [...dependencies];
    setPending(true);
    loadReference.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setAnswer({ dependencies: loadedFor, data: value, error: undefined });
        setPending(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setAnswer({
          dependencies: loadedFor,
          data: undefined,
          error: failure ?? new Error("the load failed"),
        });
        setPending(false);
      },
    );
    return () => controller.abort();
  }, [...dependencies, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const shown = answerFor(answer, dependencies);
  // While a reload runs the previous error is cleared but the previous data stays.
  const error = pending ? undefined : shown.error;
  return { data: shown.data, error, loading: pending || !shown.current, reload };
}
