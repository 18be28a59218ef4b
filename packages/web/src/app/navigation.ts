/** A section of the app: where it lives, and which permitted actions make it appear. */
export interface Section {
  readonly path: string;
  readonly label: string;
  /** The section appears when the user may perform any one of these actions. */
  readonly anyOf: readonly string[];
}

/**
 * The sections that exist. A section whose API has not landed is not listed (it is not built);
 * a section the user's role does not permit is left out of the navigation and its route refuses.
 */
export const SECTIONS: readonly Section[] = [];

/** The sections a user with these permitted actions may see. */
export function visibleSections(may: (action: string) => boolean): Section[] {
  return SECTIONS.filter((section) => section.anyOf.some((action) => may(action)));
}
