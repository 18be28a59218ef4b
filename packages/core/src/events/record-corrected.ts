import { z } from "zod";
import { FEEDS } from "../feeds/feed-schemas.ts";
import { defineEvent } from "./define-event.ts";

/** A source record key arrived again with different content: a new version, both kept. */
export const RecordCorrected = defineEvent(
  "RecordCorrected",
  z.object({
    recordId: z.string(),
    feed: z.enum(FEEDS),
    keyValue: z.string(),
    recordKey: z.string(),
    version: z.number().int().min(2),
    batchId: z.string(),
  }),
);
export type RecordCorrectedPayload = z.infer<typeof RecordCorrected.schema>;
