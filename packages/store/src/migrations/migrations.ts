import type { Migration } from "kysely";
import * as records from "./0001-records.ts";
import * as audit from "./0010-audit.ts";
import * as access from "./0011-access.ts";
import * as persons from "./0020-persons.ts";
import * as linkage from "./0021-linkage.ts";
import * as lifecycle from "./0030-lifecycle.ts";
import * as policy from "./0040-policy.ts";
import * as redress from "./0050-redress.ts";
import * as searchDocumentEntity from "./0051-search-document-entity.ts";
import * as personStatusStorage from "./0052-person-status-storage.ts";
import * as consumerLayout from "./0060-consumer-layout.ts";
import * as policyVersionImmutable from "./0061-policy-version-immutable.ts";
import * as oidcSubject from "./0062-oidc-subject.ts";
import * as ingestBatchRun from "./0064-ingest-batch-run.ts";
import * as redressStickyConfidentiality from "./0065-redress-sticky-confidentiality.ts";
import * as redressSourceSuperseded from "./0066-redress-source-superseded.ts";
import * as worklistHistory from "./0067-worklist-history.ts";
import * as linkageDecisionUnlinkedRecord from "./0068-linkage-decision-unlinked-record.ts";
import * as lifecycleRulesInForce from "./0069-lifecycle-rules-in-force.ts";
import * as redressLinksPartlyDecided from "./0070-redress-links-partly-decided.ts";
import * as linkageMustLinkOutdated from "./0071-linkage-must-link-outdated.ts";
import * as linkageDecisionPlacedRecord from "./0072-linkage-decision-placed-record.ts";

/**
 * Every migration, in order. Names sort in application order; a new migration takes the next
 * number and is never edited once it has landed.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-records": records,
  "0010-audit": audit,
  "0011-access": access,
  "0020-persons": persons,
  "0021-linkage": linkage,
  "0030-lifecycle": lifecycle,
  "0040-policy": policy,
  "0050-redress": redress,
  "0051-search-document-entity": searchDocumentEntity,
  "0052-person-status-storage": personStatusStorage,
  "0060-consumer-layout": consumerLayout,
  "0061-policy-version-immutable": policyVersionImmutable,
  "0062-oidc-subject": oidcSubject,
  "0064-ingest-batch-run": ingestBatchRun,
  "0065-redress-sticky-confidentiality": redressStickyConfidentiality,
  "0066-redress-source-superseded": redressSourceSuperseded,
  "0067-worklist-history": worklistHistory,
  "0068-linkage-decision-unlinked-record": linkageDecisionUnlinkedRecord,
  "0069-lifecycle-rules-in-force": lifecycleRulesInForce,
  "0070-redress-links-partly-decided": redressLinksPartlyDecided,
  "0071-linkage-must-link-outdated": linkageMustLinkOutdated,
  "0072-linkage-decision-placed-record": linkageDecisionPlacedRecord,
};
