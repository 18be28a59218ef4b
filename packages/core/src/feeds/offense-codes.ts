/**
 * The controlled list of offense codes (SOURCES.md). The class is what policies read; the
 * severity orders classes for aggravating-factor rules. An unknown code is kept with class
 * `unknown`, never rejected.
 */
export const OFFENSE_CLASSES = [
  "violent",
  "sexual",
  "property",
  "fraud",
  "drug",
  "weapons",
  "traffic",
  "immigration",
  "other",
  "unknown",
] as const;
export type OffenseClass = (typeof OFFENSE_CLASSES)[number];

export interface OffenseDefinition {
  readonly code: string;
  readonly offenseClass: OffenseClass;
  /** 1 (least) to 5 (most serious). */
  readonly severity: 1 | 2 | 3 | 4 | 5;
  /** Named by the Laken Riley Act (INA 236(c)(1)(E) as amended, 2025) as a mandatory-detention trigger. */
  readonly lakenRileyOffense: boolean;
  readonly description: string;
}

export const OFFENSE_CODES: Readonly<Record<string, OffenseDefinition>> = Object.freeze({
  HOMICIDE: {
    code: "HOMICIDE",
    offenseClass: "violent",
    severity: 5,
    lakenRileyOffense: true,
    description: "Homicide or a crime causing death",
  },
  SEX_ASSAULT: {
    code: "SEX_ASSAULT",
    offenseClass: "sexual",
    severity: 5,
    lakenRileyOffense: true,
    description: "Sexual assault",
  },
  ROBBERY: {
    code: "ROBBERY",
    offenseClass: "violent",
    severity: 4,
    lakenRileyOffense: true,
    description: "Robbery",
  },
  AGG_ASSAULT: {
    code: "AGG_ASSAULT",
    offenseClass: "violent",
    severity: 4,
    lakenRileyOffense: true,
    description: "Aggravated assault",
  },
  ASSAULT_LEO: {
    code: "ASSAULT_LEO",
    offenseClass: "violent",
    severity: 4,
    lakenRileyOffense: true,
    description: "Assault of a law-enforcement officer",
  },
  BURGLARY: {
    code: "BURGLARY",
    offenseClass: "property",
    severity: 3,
    lakenRileyOffense: true,
    description: "Burglary",
  },
  THEFT: {
    code: "THEFT",
    offenseClass: "property",
    severity: 2,
    lakenRileyOffense: true,
    description: "Theft, larceny or shoplifting",
  },
  FRAUD: {
    code: "FRAUD",
    offenseClass: "fraud",
    severity: 2,
    lakenRileyOffense: false,
    description: "Fraud",
  },
  DRUG_TRAFFICKING: {
    code: "DRUG_TRAFFICKING",
    offenseClass: "drug",
    severity: 4,
    lakenRileyOffense: false,
    description: "Drug trafficking",
  },
  DRUG_POSSESSION: {
    code: "DRUG_POSSESSION",
    offenseClass: "drug",
    severity: 1,
    lakenRileyOffense: false,
    description: "Drug possession",
  },
  WEAPONS: {
    code: "WEAPONS",
    offenseClass: "weapons",
    severity: 3,
    lakenRileyOffense: false,
    description: "Weapons offense",
  },
  DUI: {
    code: "DUI",
    offenseClass: "traffic",
    severity: 2,
    lakenRileyOffense: false,
    description: "Driving under the influence",
  },
  IMMIGRATION: {
    code: "IMMIGRATION",
    offenseClass: "immigration",
    severity: 1,
    lakenRileyOffense: false,
    description: "Immigration offense (e.g. 8 U.S.C. 1325/1326)",
  },
  TRAFFIC: {
    code: "TRAFFIC",
    offenseClass: "traffic",
    severity: 1,
    lakenRileyOffense: false,
    description: "Traffic offense",
  },
  OTHER: {
    code: "OTHER",
    offenseClass: "other",
    severity: 1,
    lakenRileyOffense: false,
    description: "Other offense",
  },
});

/** The definition of an offense code; unknown codes get class `unknown` and severity 1. */
export function offenseDefinition(code: string): OffenseDefinition {
  return (
    // hasOwn: a code such as "constructor" must not find Object.prototype's member.
    (Object.hasOwn(OFFENSE_CODES, code) ? OFFENSE_CODES[code] : undefined) ?? {
      code,
      offenseClass: "unknown",
      severity: 1,
      lakenRileyOffense: false,
      description: "Code not on the controlled list",
    }
  );
}
