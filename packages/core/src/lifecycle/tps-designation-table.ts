import { z } from "zod";
import { parseDayNumber } from "./calendar-date.ts";

/**
 * Country designations for Temporary Protected Status (INA 244(b)): designated, extended and
 * terminated by Federal Register notice, so DOMAIN.md §1.3 keeps their country-level dates as
 * configuration (`tpsDesignations` in the lifecycle rules) that an operator updates with each notice.
 */

const isoDate = z.string().refine((text) => parseDayNumber(text) !== undefined, "must be a date YYYY-MM-DD");
const notice = z.string().min(1).describe("The Federal Register notice, e.g. 90 FR 5953");

export const TpsDesignationSchema = z
  .strictObject({
    country: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 3166-1 alpha-3 code")
      .describe("The designated country (its nationals, and stateless persons who last resided there)"),
    designatedOn: isoDate.describe(
      "First day of the designation (or of the redesignation that began this run)",
    ),
    notice: notice.describe("The notice that designated the country"),
    periods: z
      .array(z.strictObject({ through: isoDate, notice }))
      .min(1)
      .describe(
        "The last day of each period of the designation (the initial one, each extension or redesignation) and its notice; it is in force from designatedOn through the latest",
      ),
    terminated: z
      .strictObject({ effective: isoDate, notice })
      .nullable()
      .default(null)
      .describe("The termination: TPS under the designation ends on the day before `effective`"),
  })
  .refine(
    (designation) => designation.periods.every((period) => period.through >= designation.designatedOn),
    "a period ends before designatedOn",
  );

export type TpsDesignation = z.output<typeof TpsDesignationSchema>;

const terminated = (effective: string, by: string) => ({ effective, notice: by });

/**
 * The designations of the countries the synthetic generator gives TPS (their designation notices
 * as packages/synth/src/scenarios/tps-designations.ts cites them), with their latest period and
 * any termination as publicly reported through September 2025 (DOMAIN.md's cut-off). Terminations
 * of 2025 are litigated (Honduras, Nicaragua, Nepal, Venezuela); citations marked [verify] could not
 * be checked against the full text. [verify] each against the Federal Register before relying on it.
 */
export const DEFAULT_TPS_DESIGNATIONS: readonly TpsDesignation[] = [
  {
    country: "SOM",
    designatedOn: "1991-09-16",
    notice: "56 FR 46804",
    periods: [{ through: "2026-03-17", notice: "extension of 2024 [verify]" }],
    terminated: null,
  },
  {
    country: "SDN",
    designatedOn: "1997-11-04",
    notice: "62 FR 59737",
    periods: [{ through: "2025-10-19", notice: "88 FR 56864 [verify]" }],
    terminated: null,
  },
  {
    country: "HND",
    designatedOn: "1999-01-05",
    notice: "64 FR 524",
    periods: [{ through: "2025-07-05", notice: "88 FR 40304 [verify]" }],
    terminated: terminated("2025-09-08", "90 FR 30089 [verify]"),
  },
  {
    country: "NIC",
    designatedOn: "1999-01-05",
    notice: "64 FR 526",
    periods: [{ through: "2025-07-05", notice: "88 FR 40294 [verify]" }],
    terminated: terminated("2025-09-08", "90 FR 30086 [verify]"),
  },
  {
    country: "SLV",
    designatedOn: "2001-03-09",
    notice: "66 FR 14214",
    periods: [{ through: "2026-09-09", notice: "90 FR 5953 [verify]" }],
    terminated: null,
  },
  {
    country: "HTI",
    designatedOn: "2010-01-21",
    notice: "75 FR 3476",
    // The partial vacatur to 2025-08-03 was held unlawful (E.D.N.Y., 1 Jul 2025).
    periods: [{ through: "2026-02-03", notice: "89 FR 54484 [verify]" }],
    terminated: null,
  },
  {
    country: "SYR",
    designatedOn: "2012-03-29",
    notice: "77 FR 19026",
    periods: [{ through: "2025-09-30", notice: "extension of 2024 [verify]" }],
    terminated: null,
  },
  {
    country: "NPL",
    designatedOn: "2015-06-24",
    notice: "80 FR 36346",
    periods: [{ through: "2025-06-24", notice: "88 FR 40317 [verify]" }],
    terminated: terminated("2025-08-05", "90 FR 24151 [verify]"),
  },
  {
    country: "YEM",
    designatedOn: "2015-09-03",
    notice: "80 FR 53319",
    periods: [{ through: "2026-03-03", notice: "extension of 2024 [verify]" }],
    terminated: null,
  },
  {
    country: "VEN",
    designatedOn: "2021-03-09",
    notice: "86 FR 13574",
    periods: [{ through: "2025-09-10", notice: "88 FR 68130 [verify]" }],
    terminated: null,
  },
  {
    // The 2023 designation: its extension to 2026-10-02 was vacated, then it was terminated.
    country: "VEN",
    designatedOn: "2023-10-03",
    notice: "88 FR 68130 [verify]",
    periods: [{ through: "2025-04-02", notice: "88 FR 68130 [verify]" }],
    terminated: terminated("2025-04-07", "90 FR 9040 [verify]"),
  },
  {
    country: "UKR",
    designatedOn: "2022-04-19",
    notice: "87 FR 23211",
    periods: [{ through: "2026-10-19", notice: "extension of 2025 [verify]" }],
    terminated: null,
  },
  {
    country: "AFG",
    designatedOn: "2022-05-20",
    notice: "87 FR 30976",
    periods: [{ through: "2025-05-20", notice: "88 FR 65728 [verify]" }],
    terminated: terminated("2025-07-14", "90 FR 20309 [verify]"),
  },
  {
    country: "CMR",
    designatedOn: "2022-06-07",
    notice: "87 FR 34706",
    periods: [{ through: "2025-06-07", notice: "88 FR 69945 [verify]" }],
    terminated: terminated("2025-08-04", "90 FR 23697 [verify]"),
  },
  {
    country: "ETH",
    designatedOn: "2022-12-12",
    notice: "87 FR 76074",
    periods: [{ through: "2025-12-12", notice: "89 FR 26172 [verify]" }],
    terminated: null,
  },
];
