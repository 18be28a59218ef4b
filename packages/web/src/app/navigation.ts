/** A section of the app: the server's section id (`auth/me` lists those the user's roles open), where it lives. */
export interface Section {
  /** The id in `GET /api/v1/auth/me` `sections`. */
  readonly id: string;
  readonly path: string;
  readonly label: string;
}

/**
 * The sections that are built, in menu order. A section whose API has not landed is not listed;
 * a section the user's roles do not open is left out of the menu and its routes do not exist.
 */
export const SECTIONS: readonly Section[] = [
  { id: "search", path: "/search", label: "Search" },
  { id: "person", path: "/persons", label: "Open a case" },
  { id: "link_review", path: "/reviews", label: "Link review" },
  { id: "worklist", path: "/worklists", label: "Worklists" },
  { id: "departures", path: "/departures", label: "Departures" },
  { id: "transport", path: "/transport", label: "Transport planner" },
  { id: "redress", path: "/redress", label: "Redress" },
  { id: "audit", path: "/audit", label: "Audit" },
  { id: "policies", path: "/policies", label: "Policies" },
  { id: "reports", path: "/reports", label: "Reports" },
];

/** The built sections a user may see, given the section ids the server granted. */
export function visibleSections(granted: ReadonlySet<string>): Section[] {
  return SECTIONS.filter((section) => granted.has(section.id));
}
