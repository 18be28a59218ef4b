import { z } from "zod";
import { defineEvent } from "./define-event.ts";

/** A person's derived status changed (primary state, overlays, blockers or actionability). */
export const PersonStatusChanged = defineEvent(
  "PersonStatusChanged",
  z.object({
    personId: z.string(),
    asOf: z.string(),
    previousState: z.string().nullable(),
    state: z.string(),
    actionable: z.boolean(),
    previousActionable: z.boolean().nullable(),
  }),
);
export type PersonStatusChangedPayload = z.infer<typeof PersonStatusChanged.schema>;
