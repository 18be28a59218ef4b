import { type DayNumber, dayOf } from "../calendar/day-number.ts";

/**
 * The day each country the generator gives TPS was (first, in its current run) designated for
 * Temporary Protected Status (INA 244(b)), from the Federal Register notices. No registration is
 * filed before it (DOMAIN.md §1.3: designations change by notice, keep country-level dates).
 */
const DESIGNATED: Readonly<Record<string, string>> = {
  SOM: "1991-09-16", // 56 FR 46804
  SDN: "1997-11-04", // 62 FR 59737
  HND: "1999-01-05", // 64 FR 524
  NIC: "1999-01-05", // 64 FR 526
  SLV: "2001-03-09", // 66 FR 14214
  HTI: "2010-01-21", // 75 FR 3476
  SYR: "2012-03-29", // 77 FR 19026
  NPL: "2015-06-24", // 80 FR 36346
  YEM: "2015-09-03", // 80 FR 53319
  VEN: "2021-03-09", // 86 FR 13574
  UKR: "2022-04-19", // 87 FR 23211
  AFG: "2022-05-20", // 87 FR 30976
  CMR: "2022-06-07", // 87 FR 34706
  ETH: "2022-12-12", // 87 FR 76074
};

/** One 18-month TPS registration period (the generator's designation and extension length). */
export const TPS_PERIOD_DAYS = 548;

/** The day `country` was designated for TPS; an error if the generator has no date for it. */
export function tpsDesignatedOn(country: string): DayNumber {
  const day = DESIGNATED[country];
  if (day === undefined)
    throw new Error(`no TPS designation date for ${country}: add it to tps-designations.ts`);
  return dayOf(day);
}
