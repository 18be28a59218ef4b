import type { Page } from "playwright-core";

/** One screenshot: who is signed in, which page, what to wait for. */
export interface Screenshot {
  readonly name: string;
  readonly title: string;
  /** The demo role to sign in as; none for the anonymous sign-in page. */
  readonly role?: string;
  readonly purpose?: string;
  /** The route after `#`, e.g. `/worklists`. */
  readonly hash?: string;
  /** A heading that shows the page is ready. */
  readonly heading: string;
  readonly prepare?: (page: Page) => Promise<void>;
}

/** The main pages, in the order the README shows them. Pages are added here as they are built. */
export const SCREENSHOTS: readonly Screenshot[] = [
  { name: "sign-in", title: "Sign-in page (what Passage is, and is not)", heading: "Sign in" },
  { name: "home", title: "Home of a supervisor", role: "supervisor", heading: "Your sections" },
];
