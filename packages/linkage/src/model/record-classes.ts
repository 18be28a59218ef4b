/** Pairs of record classes, each pair in either order (`[["court", "departure"]]`). */
export type ClassPairs = readonly (readonly [string, string])[];

/** A record's class: its id up to the first ":" (its feed, for Passage's `feed:key` ids). */
export function recordClassOf(id: string): string {
  const colon = id.indexOf(":");
  return colon === -1 ? "" : id.slice(0, colon);
}

/** Whether the classes of two record ids are listed together, in either order. */
export function classesPaired(classPairs: ClassPairs, leftId: string, rightId: string): boolean {
  const left = recordClassOf(leftId);
  const right = recordClassOf(rightId);
  if (left === "" || right === "") return false;
  return classPairs.some(
    ([first, second]) => (first === left && second === right) || (first === right && second === left),
  );
}

/** Whether a record's class takes part in any of the pairs. */
export function hasListedClass(classPairs: ClassPairs, id: string): boolean {
  const own = recordClassOf(id);
  return own !== "" && classPairs.some(([first, second]) => first === own || second === own);
}
