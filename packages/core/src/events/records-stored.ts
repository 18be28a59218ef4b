import { z } from "zod";
import { FEEDS } from "../feeds/feed-schemas.ts";
import { defineEvent } from "./define-event.ts";

/**
 * Which records one write stored, by their place in source_record: the records of `batchId` of
 * the event's kind (version 1, or later versions) with ids from `firstRecordId` to `lastRecordId`
 * (both included; other records may lie between them), `records` of them. A few events per batch
 * (up to 500 records each), not one per record: at the ingest rate a per-record event cost about
 * a third of PostgreSQL's work a row.
 */
const recordsStoredPayload = z
  .object({
    batchId: z.string(),
    feed: z.enum(FEEDS),
    firstRecordId: z.string().regex(/^[1-9][0-9]*$/),
    lastRecordId: z.string().regex(/^[1-9][0-9]*$/),
    records: z.number().int().min(1),
  })
  .refine((payload) => BigInt(payload.firstRecordId) <= BigInt(payload.lastRecordId), {
    message: "firstRecordId must not be above lastRecordId",
    path: ["lastRecordId"],
  });

/** Source record keys seen for the first time (version 1), written by one batch. */
export const RecordsIngested = defineEvent("RecordsIngested", recordsStoredPayload);

/** Stored keys that arrived again with different content: new versions (2 and up), all kept. */
export const RecordsCorrected = defineEvent("RecordsCorrected", recordsStoredPayload);

export type RecordsStoredPayload = z.infer<typeof recordsStoredPayload>;
