import { catchUpProjections, createApp, createRowIngestor, loadConfigOrThrow } from "@passage/engine";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
  stayRow,
} from "../../../engine/src/worklist/testing/removal-cases.ts";

/** The persons the browser tests find, by what their records make of them. */
export interface SeededCases {
  readonly asOf: string;
  /** Under an executable final order, detained, with a travel document: actionable, on the worklist. */
  readonly actionable: readonly string[];
  /** The same, but a court granted a stay two days ago: a due-process gate holds. */
  readonly stayed: string;
  /** A flight to the actionable persons' destination, three days ahead. */
  readonly flightId: string;
}

/**
 * Seeds removal cases into a running Passage through the real ingest path (the row ingestor,
 * the outbox, the lifecycle and worklist projections). Persons are formed as the repository's own
 * integration tests form them (removal-cases.ts), because no `passage link` step exists yet to
 * link records into persons from the CLI or the API.
 */
export async function seedRemovalCases(dataDir: string): Promise<SeededCases> {
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
    const actionable: string[] = [];
    for (let number = 1; number <= 6; number++) {
      const personId = `P-WEB-${number}`;
      await ingestPerson(
        app.store,
        ingestor,
        personId,
        removalCaseRows({ number: 900 + number, asOf, aggravatedFelony: number % 3 === 1, ...ready }),
      );
      actionable.push(personId);
    }
    const stayed = "P-WEB-STAY";
    await ingestPerson(app.store, ingestor, stayed, [
      ...removalCaseRows({ number: 950, asOf, ...ready }),
      stayRow(950, asOf, -2),
    ]);
    const flightId = "F-WEB-1";
    await ingestor.ingest("flight", {
      flight_id: flightId,
      date: dayFrom(asOf, 3),
      origin_hub: "AEX",
      destination_country: "GTM",
      seats: "10",
      cost: "30000",
    });
    await ingestor.close();
    // Each pass applies what was committed when it began; the lifecycle handler's own events
    // (statuses changed) feed the worklist in the next pass.
    for (let pass = 0; pass < 5 && (await catchUpProjections(app)).applied > 0; pass++);
    return { asOf, actionable, stayed, flightId };
  } finally {
    await app.shutdown();
  }
}
