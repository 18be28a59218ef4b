import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Feed } from "@passage/core";

/**
 * Valid rows for every feed, generated on the fly for the ingest benchmark (not a population:
 * packages/synth makes those). Rows look like real ones — names from several cultures with
 * accents and other scripts' transliterations, some quoted fields with commas and line breaks,
 * optional fields sometimes empty — so that parsing and validation do realistic work.
 */

/** Share of the rows each feed gets, roughly as in a real population. */
export const FEED_SHARES: ReadonlyArray<readonly [Feed, number]> = [
  ["admission", 0.25],
  ["departure", 0.2],
  ["visa", 0.15],
  ["benefit", 0.1],
  ["court", 0.1],
  ["encounter", 0.08],
  ["custody", 0.05],
  ["conviction", 0.03],
  ["citizenship", 0.02],
  ["travel_document", 0.015],
  ["flight", 0.005],
];

const FAMILY = [
  "García López",
  "Nguyen",
  "Okafor",
  "Haddad",
  "Ivanova",
  "Chen",
  "Kowalski",
  "Müller",
  "O'Brien",
  "Dubois",
  "Hernández",
  "Tran",
  "Adeyemi",
  "Al-Sayed",
  "Petrov",
  "Wang",
  "Singh",
  "Kim",
  "Rodríguez Pérez",
  "Mensah",
  "Nakamura",
  "Öztürk",
  "Jönsson",
  "Şahin",
  "Đorđević",
  "Quispe Mamani",
  "Abdi",
  "Yılmaz",
  "Ramírez",
  "Cohen",
];
const GIVEN = [
  "María José",
  "Van An",
  "Chinedu",
  "Rami",
  "Olga",
  "Wei",
  "Anna",
  "Jürgen",
  "Siobhán",
  "Amélie",
  "José Luis",
  "Thi Mai",
  "Oluwaseun",
  "Fatima",
  "Dmitri",
  "Li Na",
  "Harpreet",
  "Min-jun",
  "Ana Sofía",
  "Kwame",
  "Haruto",
  "Elif",
  "Björn",
  "Zeynep",
  "Milan",
  "Wayra",
  "Ayaan",
  "Mehmet",
  "Lucía",
  "Noa",
];
const COUNTRIES = [
  "MEX",
  "VNM",
  "NGA",
  "SYR",
  "RUS",
  "CHN",
  "POL",
  "DEU",
  "IRL",
  "FRA",
  "HND",
  "GTM",
  "IND",
  "KOR",
];
const PORTS = ["LAX", "JFK", "MIA", "SFO", "ORD", "IAH", "SAN YSIDRO", "EL PASO", "LAREDO", "NEWARK"];

/** A small, fast, seeded generator (mulberry32): the same seed gives the same files. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = (index: number) => string;

function rowMaker(feed: Feed, random: () => number): { header: string; row: Row } {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const digits = (count: number) => String(Math.floor(random() * 10 ** count)).padStart(count, "0");
  const date = (from: number, to: number) =>
    `${from + Math.floor(random() * (to - from))}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`;
  const optional = (value: string, share = 0.8) => (random() < share ? value : "");
  // About 1% of names carry a comma or a line break, so the quoted-field path is exercised too.
  const name = (values: readonly string[]) => {
    const value = pick(values);
    const roll = random();
    return roll < 0.005 ? `"${value}, Jr."` : roll < 0.01 ? `"${value}\n(alias)"` : value;
  };
  const person = () =>
    `${name(FAMILY)},${name(GIVEN)},${date(1940, 2010)},${pick(["M", "F", "X", "U"])},${pick(COUNTRIES)},${optional(`A${digits(9)}`, 0.5)}`;
  const personHeader = "family_name,given_names,date_of_birth,sex,nationality,a_number";
  switch (feed) {
    case "visa":
      return {
        header: `visa_id,${personHeader},passport_number,passport_country,visa_class,issue_date,expiry_date,issuing_post`,
        row: (index) =>
          `VIS${index},${person()},P${digits(8)},${pick(COUNTRIES)},${pick(["B1/B2", "F1", "H1B", "J1"])},${date(2015, 2024)},${date(2025, 2034)},${pick(PORTS)}`,
      };
    case "admission":
      return {
        header: `i94_number,${personHeader},class_of_admission,admission_date,admit_until,port_of_entry`,
        row: (index) =>
          `${String(index).padStart(11, "0")},${person()},${pick(["B2", "WT", "F1", "H1B"])},${date(2015, 2024)},${random() < 0.2 ? "D/S" : date(2024, 2026)},${pick(PORTS)}`,
      };
    case "departure":
      return {
        header: `departure_id,${personHeader},i94_number,departure_date,port,mode,evidence,reported_at`,
        // Reported on the day of the departure: ingest rejects a departure dated after its report.
        row: (index) => {
          const departed = date(2016, 2025);
          return `DEP${index},${person()},${optional(digits(11))},${departed},${pick(PORTS)},${pick(["air", "land", "sea"])},${pick(["carrier_manifest", "land_exchange", "self_report", "vd_verified"])},${departed}T12:${digits(2).replace(/^[6-9]/, "5")}:00Z`;
        },
      };
    case "benefit":
      return {
        header: `receipt_number,${personHeader},form_type,event,event_date,valid_from,valid_to`,
        row: (index) =>
          `EAC${String(index).padStart(10, "0")},${person()},${pick(["I-589", "I-485", "I-821", "I-821D", "N-400"])},${pick(["filed", "approved", "denied"])},${date(2010, 2025)},${optional(date(2015, 2020), 0.3)},${optional(date(2021, 2030), 0.3)}`,
      };
    case "court":
      return {
        header: `court_event_id,case_id,${personHeader},case_type,event_type,event_date,outcome,in_absentia,notice_served,destination_country`,
        row: (index) =>
          `CE${index},CASE${Math.floor(index / 3)},${name(FAMILY)},${name(GIVEN)},${date(1950, 2005)},${pick(["M", "F"])},${pick(COUNTRIES)},A${digits(9)},RMV,${pick(["nta_filed", "hearing", "decision"])},${date(2010, 2025)},${optional(pick(["removal_ordered", "relief_granted", "terminated"]), 0.4)},${optional(pick(["Y", "N"]), 0.3)},${pick(["Y", "N", "U"])},${optional(pick(COUNTRIES), 0.3)}`,
      };
    case "custody":
      return {
        header: `booking_id,${personHeader},facility_code,event,event_date,reason`,
        row: (index) =>
          `BK${index},${name(FAMILY)},${name(GIVEN)},${date(1950, 2005)},${pick(["M", "F"])},${pick(COUNTRIES)},A${digits(9)},FAC-${digits(3)},${pick(["book_in", "book_out", "transfer"])},${date(2015, 2025)},${optional(pick(["released", "removed", "bond"]), 0.5)}`,
      };
    case "encounter":
      return {
        header: `encounter_id,${personHeader},encounter_type,event_date,entry_date,entry_without_inspection`,
        row: (index) =>
          `ENC${index},${person()},${pick(["border_apprehension", "inadmissible_at_port", "interior_arrest"])},${date(2012, 2025)},${optional(date(2010, 2012), 0.5)},${pick(["Y", "N", "U"])}`,
      };
    case "conviction":
      return {
        header: `disposition_id,${personHeader},offense_code,offense_level,aggravated_felony,disposition,disposition_date,sentence_days,jurisdiction`,
        row: (index) =>
          `DISP${index},${person()},${pick(["DUI", "THEFT", "FRAUD", "TRAFFIC", "DRUG_POSSESSION"])},${pick(["felony", "misdemeanor", "infraction"])},${pick(["Y", "N", "U"])},${pick(["convicted", "dismissed"])},${date(2010, 2025)},${optional(String(Math.floor(random() * 700)), 0.5)},TX-${digits(3)}`,
      };
    case "citizenship":
      return {
        header: `certificate_id,${personHeader},basis,effective_date`,
        row: (index) =>
          `CERT${index},${person()},${pick(["naturalized", "derived", "acquired"])},${date(1990, 2025)}`,
      };
    case "travel_document":
      return {
        header: "td_id,a_number,country,status,event_date,valid_to",
        row: (index) =>
          `TD${Math.floor(index / 2)},A${digits(9)},${pick(COUNTRIES)},${index % 2 === 0 ? "requested" : "issued"},${date(2018, 2025)},${optional(date(2025, 2026), 0.5)}`,
      };
    case "flight":
      return {
        header: "flight_id,date,origin_hub,destination_country,destination_port,seats,cost",
        row: (index) =>
          `FLT${index},${date(2024, 2026)},${pick(["AEX", "MAF", "BRO", "IAH"])},${pick(COUNTRIES)},${pick(PORTS)},${50 + Math.floor(random() * 150)},${(20000 + random() * 90000).toFixed(2)}`,
      };
  }
}

export interface GeneratedFile {
  readonly feed: Feed;
  readonly file: string;
  readonly rows: number;
  readonly bytes: number;
}

/** Writes one CSV per feed into `directory`, `totalRows` rows in all, streaming to disk. */
export async function generateFeedFiles(
  directory: string,
  totalRows: number,
  seed = 1,
): Promise<GeneratedFile[]> {
  const random = randomSource(seed);
  const files: GeneratedFile[] = [];
  let assigned = 0;
  for (const [index, [feed, share]] of FEED_SHARES.entries()) {
    const rows = index === FEED_SHARES.length - 1 ? totalRows - assigned : Math.round(totalRows * share);
    assigned += rows;
    if (rows <= 0) continue;
    const file = path.join(directory, `${feed}.csv`);
    const { header, row } = rowMaker(feed, random);
    const out = fs.createWriteStream(file);
    out.write(`${header}\n`);
    let chunk: string[] = [];
    for (let rowIndex = 0; rowIndex < rows; rowIndex++) {
      chunk.push(row(rowIndex));
      if (chunk.length === 1000 || rowIndex === rows - 1) {
        if (!out.write(`${chunk.join("\n")}\n`)) await once(out, "drain");
        chunk = [];
      }
    }
    out.end();
    await once(out, "finish");
    files.push({ feed, file, rows, bytes: fs.statSync(file).size });
  }
  return files;
}
