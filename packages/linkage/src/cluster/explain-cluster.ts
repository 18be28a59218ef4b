import type { Clustering, ClusterLink } from "./cluster-records.ts";

/** Why a person is the records it is. */
export interface ClusterExplanation {
  readonly recordIds: readonly string[];
  /** The links that hold the cluster together (a spanning tree: one fewer than the records). */
  readonly links: readonly {
    readonly leftId: string;
    readonly rightId: string;
    readonly weight: number;
    readonly probability: number;
    readonly kind: ClusterLink["kind"];
  }[];
  /** The automatic link with the lowest weight: where the cluster would break first. */
  readonly weakestLink:
    | {
        readonly leftId: string;
        readonly rightId: string;
        readonly weight: number;
        readonly probability: number;
      }
    | undefined;
  /** Further auto-link pairs inside the cluster, beyond the spanning links. */
  readonly supportingLinks: number;
  readonly humanDecisions: number;
}

/** Index of the links of each cluster, built once for many explanations. */
export function linksByCluster(clustering: Clustering): ClusterLink[][] {
  const grouped: ClusterLink[][] = clustering.clusters.map(() => []);
  for (const link of clustering.links) grouped[clustering.clusterOf[link.left]!]!.push(link);
  return grouped;
}

/** Explains one cluster: its records, the links joining them and the weakest of those. */
export function explainCluster(
  clustering: Clustering,
  clusterIndex: number,
  recordIds: readonly string[],
  grouped: readonly ClusterLink[][] = linksByCluster(clustering),
): ClusterExplanation {
  const links = grouped[clusterIndex] ?? [];
  let weakest: ClusterLink | undefined;
  for (const link of links)
    if (link.kind === "auto_link" && (!weakest || link.weight < weakest.weight)) weakest = link;
  const named = (link: ClusterLink) => ({
    leftId: recordIds[link.left]!,
    rightId: recordIds[link.right]!,
    weight: link.weight,
    probability: link.probability,
  });
  return {
    recordIds: clustering.clusters[clusterIndex]!.map((index) => recordIds[index]!),
    links: links.map((link) => ({ ...named(link), kind: link.kind })),
    weakestLink: weakest ? named(weakest) : undefined,
    supportingLinks: clustering.supportingLinks[clusterIndex] ?? 0,
    humanDecisions: links.filter((link) => link.kind === "must_link").length,
  };
}
