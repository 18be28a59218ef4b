import { createApp, createRowIngestor, loadConfigOrThrow } from "@passage/engine";
import { findPersonOfRecord, setCaseAssignment } from "@passage/store";
import { dayFrom, removalCaseRows, stayRow } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { waitForProjections } from "./seed-synthetic.ts";

/** The persons the browser tests find, by what their records make of them. */
export interface SeededCases {
  readonly asOf: string;
  /** Under an executable final order, detained, with a travel document: actionable, on the worklist. */
  readonly actionable: readonly string[];
  /** The same, but a court granted a stay two days ago: a due-process gate holds. */
  readonly stayed: string;
  /** A flight to the actionable persons' destination, three days ahead. */
  readonly flightId: string;
  /** The record each person was found by (FEED:KEY), in the same order as `actionable`, then `stayed`. */
  readonly records: readonly string[];
}

/** Distinct names and birth dates, so linkage keeps every case one person of its own. */
const IDENTITIES = [
  ["Okonkwo", "Chidi", "1979-03-14"],
  ["Lindqvist", "Maja", "1988-11-02"],
  ["Haddad", "Samir", "1991-06-23"],
  ["Castellanos", "Lucia", "1983-01-30"],
  ["Tanaka", "Hiroshi", "1975-09-09"],
  ["Brennan", "Aoife", "1994-04-17"],
  ["Moreau", "Etienne", "1986-12-05"],
] as const;

type Row = Record<string, string>;

function withIdentity(rows: Array<[string, Row]>, index: number): Array<[string, Row]> {
  const [family, given, born] = IDENTITIES[index]!;
  return rows.map(([feed, row]) => [
    feed,
    "family_name" in row ? { ...row, family_name: family, given_names: given, date_of_birth: born } : row,
  ]);
}

/** The office the seeded cases are assigned to: the demo removal officer's and supervisor's. */
export const SEEDED_CASE_OFFICE = "NYC";

/**
 * Seeds removal cases into a running Passage through the real pipeline: rows through the row
 * ingestor (as a feed would deliver them), then the server's own projections — incremental
 * linkage forms the persons, lifecycle derives their status, the worklist ranks them. Returns the
 * person ids linkage gave them, found by one of their records.
 */
export async function seedRemovalCases(url: string, dataDir: string): Promise<SeededCases> {
  const asOf = new Date().toISOString().slice(0, 10);
  const app = await createApp(
    loadConfigOrThrow({ cwd: dataDir, env: process.env, overrides: { dataDir, logLevel: "warn" } }),
  );
  const ingestor = createRowIngestor({ pool: app.store.pool, sourceName: "web-e2e seed", maxDelayMs: 1 });
  const ready = {
    custody: { facility: "STWRTGA", sinceDays: -30 },
    travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
  };
  try {
    const numbers = [901, 902, 903, 904, 905, 906, 950];
    for (const [index, number] of numbers.entries()) {
      const rows = removalCaseRows({
        number,
        asOf,
        aggravatedFelony: index % 3 === 0 && number !== 950,
        ...ready,
      });
      if (number === 950) rows.push(stayRow(number, asOf, -2));
      for (const [feed, row] of withIdentity(rows, index)) {
        const outcome = await ingestor.ingest(feed, row);
        if (outcome.outcome === "rejected") throw new Error(`seed row rejected: ${JSON.stringify(outcome)}`);
      }
    }
    const flightId = "F-WEB-1";
    await ingestor.ingest("flight", {
      flight_id: flightId,
      date: dayFrom(asOf, 3),
      origin_hub: "AEX",
      destination_country: "GTM",
      seats: "40",
      cost: "30000",
    });
    await ingestor.close();
    await waitForProjections(url);
    const records = numbers.map((number) => `court:CE-${number}-2`);
    const persons: string[] = [];
    for (const number of numbers) {
      const personId = await findPersonOfRecord(app.store.db, "court", `CE-${number}-2`);
      if (!personId) throw new Error(`linkage formed no person for court:CE-${number}-2`);
      persons.push(personId);
    }
    if (new Set(persons).size !== persons.length)
      throw new Error(`seeded cases share persons: ${persons.join(", ")}`);
    // The cases belong to the demo officers' office: a removal officer or supervisor reads only
    // their own office's (or assigned) cases, as the access policies say.
    for (const personId of persons) {
      await setCaseAssignment(app.store.db, {
        personId,
        office: SEEDED_CASE_OFFICE,
        assignees: [],
        updatedBy: "web-e2e seed",
      });
    }
    return { asOf, actionable: persons.slice(0, 6), stayed: persons[6]!, flightId, records };
  } finally {
    await app.shutdown();
  }
}
