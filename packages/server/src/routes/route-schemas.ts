import { z } from "zod";

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30, no month 13). */
export const IsoDate = z.iso.date("a date YYYY-MM-DD that exists");
