import type { ReactNode } from "react";
import { AuditPage } from "../pages/audit/audit-page.tsx";
import { DeparturesPage } from "../pages/departures/departures-page.tsx";
import { OpenCasePage } from "../pages/person/open-case-page.tsx";
import { PersonPage } from "../pages/person/person-page.tsx";
import { PoliciesPage } from "../pages/policies/policies-page.tsx";
import { RedressPage } from "../pages/redress/redress-page.tsx";
import { ReportsPage } from "../pages/reports/reports-page.tsx";
import { ReviewQueuePage } from "../pages/reviews/review-queue-page.tsx";
import { SearchPage } from "../pages/search/search-page.tsx";
import { TransportPage } from "../pages/transport/transport-page.tsx";
import { WorklistsPage } from "../pages/worklists/worklists-page.tsx";

/** The routes of each section, keyed by the section's id (navigation.ts). */
export const SECTION_PAGES: Readonly<Record<string, readonly { path: string; element: ReactNode }[]>> = {
  person: [
    { path: "persons", element: <OpenCasePage /> },
    { path: "persons/:personId", element: <PersonPage /> },
  ],
  search: [{ path: "search", element: <SearchPage /> }],
  link_review: [{ path: "reviews", element: <ReviewQueuePage /> }],
  worklist: [{ path: "worklists", element: <WorklistsPage /> }],
  departures: [{ path: "departures", element: <DeparturesPage /> }],
  transport: [{ path: "transport", element: <TransportPage /> }],
  redress: [{ path: "redress", element: <RedressPage /> }],
  audit: [{ path: "audit", element: <AuditPage /> }],
  policies: [{ path: "policies", element: <PoliciesPage /> }],
  reports: [{ path: "reports", element: <ReportsPage /> }],
};
