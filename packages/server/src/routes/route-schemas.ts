import { z } from "zod";

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30, no month 13). */
export const IsoDate = z.iso.date("a date YYYY-MM-DD that exists");

/** The body of an operation that takes none: absent, `null` or an object (whose keys are ignored). */
export const NoBody = z.object({}).passthrough().nullish();
