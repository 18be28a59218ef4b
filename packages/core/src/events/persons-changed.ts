import { z } from "zod";
import { defineEvent } from "./define-event.ts";

/**
 * The records behind these persons changed — a record linked, unlinked or corrected, persons
 * merged or split — so everything derived from them (status, gates, worklist entries, plans)
 * must be re-derived. Written by linkage in the same transaction as the membership change.
 * `retiredPersonIds` no longer exist (merged into another, or emptied); their projections go.
 */
export const PersonsChanged = defineEvent(
  "PersonsChanged",
  z.object({
    personIds: z.array(z.string()).max(10_000),
    retiredPersonIds: z.array(z.string()).max(10_000).default([]),
    reason: z.enum(["record_linked", "record_changed", "batch_link", "review_decision", "unlink", "redress"]),
  }),
);
export type PersonsChangedPayload = z.infer<typeof PersonsChanged.schema>;
