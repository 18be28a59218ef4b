import type { DependencyList } from "react";

/** One settled load of `useAsync`: what it answered (or why it failed) and for which dependencies. */
export interface AsyncAnswer<T> {
  readonly dependencies: DependencyList;
  readonly data: T | undefined;
  readonly error: unknown;
}

/** Whether two dependency lists name the same load (the comparison React uses for effects). */
export function sameDependencies(left: DependencyList, right: DependencyList): boolean {
  return left.length === right.length && left.every((value, index) => Object.is(value, right[index]));
}

/**
 * What a page may show for its current dependencies: only an answer to those very dependencies.
 * An answer to earlier ones (another person, another as-of date) is never shown, not even for
 * the one render between a change and the effect that starts the new load; a failed load has no
 * data, so an error is never shown above the previous answer's figures.
 */
export function answerFor<T>(
  answer: AsyncAnswer<T> | undefined,
  dependencies: DependencyList,
): { readonly data: T | undefined; readonly error: unknown; readonly current: boolean } {
  if (!answer || !sameDependencies(answer.dependencies, dependencies)) {
    return { data: undefined, error: undefined, current: false };
  }
  return { data: answer.error === undefined ? answer.data : undefined, error: answer.error, current: true };
}
