import { OFFENSE_CODES } from "@passage/core";
import type { SeededRandom } from "../random/seeded-random.ts";
import type { SourceRow } from "../records/record-draft.ts";
import { JURISDICTIONS } from "./places.ts";

/** Offense codes of core's controlled list, weighted as dispositions of non-citizens roughly are. */
const OFFENSES: readonly (readonly [string, number])[] = [
  ["TRAFFIC", 22],
  ["DUI", 18],
  ["DRUG_POSSESSION", 12],
  ["THEFT", 11],
  ["IMMIGRATION", 9],
  ["OTHER", 7],
  ["FRAUD", 5],
  ["AGG_ASSAULT", 4],
  ["BURGLARY", 3],
  ["WEAPONS", 3],
  ["DRUG_TRAFFICKING", 3],
  ["ROBBERY", 2],
  ["ASSAULT_LEO", 1],
  ["SEX_ASSAULT", 0.6],
  ["HOMICIDE", 0.4],
];

const DISPOSITIONS: readonly (readonly [string, number])[] = [
  ["convicted", 80],
  ["dismissed", 10],
  ["acquitted", 5],
  ["vacated", 3],
  ["expunged", 2],
];

/**
 * The fields of one criminal court disposition (offense, level, disposition, sentence,
 * aggravated-felony flag, jurisdiction), drawn from the random stream alone: nothing about the
 * person (nationality least of all) enters the draw.
 */
export function drawDisposition(random: SeededRandom): SourceRow {
  const offense = random.weighted(OFFENSES);
  const severity = OFFENSE_CODES[offense]!.severity;
  const level =
    severity >= 3
      ? "felony"
      : offense === "TRAFFIC"
        ? random.pick(["infraction", "misdemeanor"])
        : random.chance(0.2 * severity)
          ? "felony"
          : "misdemeanor";
  const disposition = random.weighted(DISPOSITIONS);
  const fields: SourceRow = {
    offense_code: offense,
    offense_level: level,
    disposition,
    jurisdiction: random.pick(JURISDICTIONS),
  };
  if (disposition === "convicted") {
    const sentence =
      level === "felony" ? random.between(180, 3650) : level === "misdemeanor" ? random.between(0, 365) : 0;
    fields.sentence_days = String(sentence);
    // INA 101(a)(43): the serious violent and trafficking offenses with a sentence of a year or more.
    const aggravated = severity >= 4 && level === "felony" && sentence >= 365;
    if (random.chance(0.8)) fields.aggravated_felony = aggravated ? "Y" : "N";
  } else if (random.chance(0.3)) {
    fields.aggravated_felony = "U";
  }
  return fields;
}
