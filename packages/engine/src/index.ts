export * from "./app/config.ts";
export * from "./app/create-app.ts";
export * from "./app/rebuild-projections.ts";
export * from "./consumers/index.ts";
export * from "./demo/load-demo-population.ts";
export * from "./departures/departure-change-feed.ts";
export * from "./departures/departure-confirmations.ts";
export * from "./departures/departure-metrics.ts";
export * from "./departures/departure-simulator.ts";
export * from "./evaluation/barred-on-lists.ts";
export * from "./evaluation/evaluate-lifecycle-truth.ts";
export * from "./evaluation/lifecycle-truth.ts";
export * from "./evaluation/synthetic-truth-trial.ts";
export * from "./ingest/ingest-errors.ts";
export * from "./ingest/ingest-file.ts";
export * from "./ingest/rejects-writer.ts";
export * from "./ingest/row-ingestor.ts";
export * from "./lifecycle/confidential-reader.ts";
export * from "./lifecycle/confidential-redaction.ts";
export * from "./lifecycle/derive-person-statuses.ts";
export * from "./lifecycle/lifecycle-errors.ts";
export * from "./lifecycle/lifecycle-service.ts";
export * from "./lifecycle/lifecycle-sources.ts";
export * from "./lifecycle/policy-inputs.ts";
export * from "./lifecycle/status-document.ts";
export * from "./link-file/link-file-errors.ts";
export * from "./link-file/link-files.ts";
export * from "./linkage/index.ts";
export * from "./output/output-files.ts";
export * from "./redress/redress-errors.ts";
export * from "./redress/redress-service.ts";
export * from "./reports/oversight-report.ts";
export * from "./reports/small-cell-suppression.ts";
export * from "./scale-out/index.ts";
export * from "./synth/index.ts";
export * from "./transport/facility-hubs.ts";
export * from "./transport/transport-cases.ts";
export * from "./transport/transport-errors.ts";
export * from "./transport/transport-service.ts";
export * from "./worklist/policy-versions.ts";
export * from "./worklist/worklist-candidates.ts";
export * from "./worklist/worklist-errors.ts";
export * from "./worklist/worklist-projection.ts";
export type {
  ShownExplanation,
  ShownOverride,
  ShownWorklistEntry,
} from "./worklist/worklist-redaction.ts";
export * from "./worklist/worklist-service.ts";
