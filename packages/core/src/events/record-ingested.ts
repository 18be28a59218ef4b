import { z } from "zod";
import { FEEDS } from "../feeds/feed-schemas.ts";
import { defineEvent } from "./define-event.ts";

/** A source record key was seen for the first time (version 1). */
export const RecordIngested = defineEvent(
  "RecordIngested",
  z.object({
    recordId: z.string(),
    feed: z.enum(FEEDS),
    keyValue: z.string(),
    recordKey: z.string(),
    version: z.literal(1),
    batchId: z.string(),
  }),
);
export type RecordIngestedPayload = z.infer<typeof RecordIngested.schema>;
