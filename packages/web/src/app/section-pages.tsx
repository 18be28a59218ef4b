import type { ReactNode } from "react";

/** The routes of each section, keyed by the section's path. */
export const SECTION_PAGES: Readonly<Record<string, readonly { path: string; element: ReactNode }[]>> = {};
