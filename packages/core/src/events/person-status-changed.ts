import { z } from "zod";
import { defineEvent } from "./define-event.ts";

/**
 * A person's derived status was re-derived because its inputs changed (records, identity facts,
 * claims, or the passing of a date). `previousState`/`previousActionable` are null for a new person;
 * `state` is null (and `actionable` false) when the status was removed: the person was retired by a
 * merge into another, or has no records left.
 */
export const PersonStatusChanged = defineEvent(
  "PersonStatusChanged",
  z.object({
    personId: z.string(),
    asOf: z.string(),
    previousState: z.string().nullable(),
    state: z.string().nullable(),
    actionable: z.boolean(),
    previousActionable: z.boolean().nullable(),
  }),
);
export type PersonStatusChangedPayload = z.infer<typeof PersonStatusChanged.schema>;
