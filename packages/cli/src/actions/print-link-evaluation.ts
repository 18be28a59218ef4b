import type { LinkEvaluation } from "@passage/engine";
import type { Output } from "../output.ts";

/** What `passage link --evaluate` and `passage link-file --evaluate` both print. */
export interface PrintedEvaluation {
  readonly pairwise: LinkEvaluation["pairwise"];
  readonly thresholds: LinkEvaluation["thresholds"];
  readonly clusters: LinkEvaluation["clusters"];
  readonly notes?: LinkEvaluation["notes"];
}

/** A figure to six places, or n/a where it is undefined (precision without a link, recall without a true pair). */
function figure(value: number | null): string {
  return value === null ? "n/a" : value.toFixed(6);
}

/**
 * Pairwise precision and recall, the table by threshold and the cluster figures of a linkage
 * evaluated against a truth; `clusterExtra` adds `name=value ` fields before the B-cubed ones.
 */
export function printLinkEvaluation(output: Output, evaluation: PrintedEvaluation, clusterExtra = ""): void {
  const { precision, recall, f1 } = evaluation.pairwise;
  output.line(`precision=${figure(precision)} recall=${figure(recall)} f1=${figure(f1)}`);
  output.line("threshold  precision  recall     f1");
  for (const row of evaluation.thresholds) {
    output.line(
      `${String(row.threshold).padEnd(10)} ${figure(row.precision).padEnd(8)}   ${figure(row.recall).padEnd(8)}   ${figure(row.f1)}`,
    );
  }
  for (const note of evaluation.notes ?? []) output.line(`note: ${note}`);
  const clusters = evaluation.clusters;
  // With no true person among the records evaluated, B-cubed has nothing to average (it read 1).
  const bCubed = (value: number) => figure(clusters.truePersons === 0 ? null : value);
  output.line(
    `clusters: predicted=${clusters.predictedPersons} true=${clusters.truePersons} exact=${clusters.exactClusters} ` +
      `split=${clusters.truePersonsSplit} merged=${clusters.clustersMergingPersons} ${clusterExtra}` +
      `b-cubed precision=${bCubed(clusters.bCubedPrecision)} recall=${bCubed(clusters.bCubedRecall)}`,
  );
}
