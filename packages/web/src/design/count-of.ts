/**
 * A count with its noun in the singular or the plural: "1 case", "2,500 cases", "1 entry",
 * "3 entries" (give the plural when it is not the singular with an "s").
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
