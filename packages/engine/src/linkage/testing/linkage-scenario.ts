import type { TestDatabase } from "@passage/store/testing";
import { createConsumerRunner } from "../../consumers/consumer-runner.ts";
import type { RowIngestor } from "../../ingest/row-ingestor.ts";
import { type LifecycleService, todayUtc } from "../../lifecycle/lifecycle-service.ts";
import type { LinkageService } from "../linkage-service.ts";
import { membershipOf } from "./linkage-population.ts";

/**
 * Test support for linkage scenarios told person by person (must-links, placements, corrections):
 * the people, their records, and the steps a test takes against one test bed.
 */

/** The day `days` from today (UTC), YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  const date = new Date(`${todayUtc()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Who a record is about: the person fields the feeds share. */
export interface Someone {
  readonly family_name: string;
  readonly given_names: string;
  readonly date_of_birth: string;
  readonly a_number: string;
  readonly nationality: string;
  readonly country_of_birth: string;
  readonly sex: string;
}

export const OKEKE: Someone = {
  family_name: "Okeke",
  given_names: "Chinedu Emeka",
  date_of_birth: "1979-03-14",
  a_number: "A204518733",
  nationality: "NGA",
  country_of_birth: "NGA",
  sex: "M",
};
export const SOUZA: Someone = {
  family_name: "Souza Pereira",
  given_names: "Marcelo",
  date_of_birth: "1991-11-02",
  a_number: "A087340165",
  nationality: "BRA",
  country_of_birth: "BRA",
  sex: "M",
};
export const ADEYEMI: Someone = {
  family_name: "Adeyemi",
  given_names: "Folasade",
  date_of_birth: "1985-06-21",
  a_number: "A213907724",
  nationality: "NGA",
  country_of_birth: "NGA",
  sex: "F",
};
export const FERREIRA: Someone = {
  family_name: "Ferreira Lima",
  given_names: "Juliana",
  date_of_birth: "1993-01-30",
  a_number: "A095512486",
  nationality: "BRA",
  country_of_birth: "BRA",
  sex: "F",
};
export const SENTHIL: Someone = {
  family_name: "Senthil",
  given_names: "Murali",
  date_of_birth: "1988-04-09",
  a_number: "A216604519",
  nationality: "IND",
  country_of_birth: "IND",
  sex: "M",
};

/** A requester whose record a redress correction placed (no A-number: a passport of Italy). */
export const QWERTYX = {
  family_name: "Secondo",
  given_names: "Qwertyx",
  date_of_birth: "1982-05-17",
  sex: "M",
  nationality: "ITA",
  country_of_birth: "ITA",
  passport_number: "QW7654321",
  passport_country: "ITA",
};

/** A conviction record about `who` (without an A-number when `withANumber` is false). */
export function conviction(id: string, who: Someone, withANumber = true): Record<string, string> {
  const { a_number, ...rest } = who;
  return {
    ...rest,
    ...(withANumber ? { a_number } : {}),
    disposition_id: id,
    offense_code: "THEFT",
    offense_level: "misdemeanor",
    aggravated_felony: "N",
    disposition: "convicted",
    disposition_date: dayFromToday(-400),
  };
}

/** What a scenario's steps run against (read when a step runs: the bed is made in beforeAll). */
export interface ScenarioContext {
  readonly database: TestDatabase;
  readonly ingestor: RowIngestor;
  readonly linkage: LinkageService;
  readonly lifecycle?: LifecycleService | undefined;
}

/** The steps of a linkage scenario against the context `contextOf` gives. */
export function linkageScenario(contextOf: () => ScenarioContext) {
  /** Ingests one row, which must be accepted, and commits it. */
  async function ingest(feed: string, row: Record<string, string>): Promise<void> {
    const { ingestor } = contextOf();
    const outcome = await ingestor.ingest(feed as Parameters<RowIngestor["ingest"]>[0], row);
    if (outcome.outcome === "rejected") throw new Error(`rejected: ${JSON.stringify(outcome)}`);
    await ingestor.flush();
  }

  /** Runs these handlers until nothing is left (linkage's events land after the position it began at). */
  async function runUntilIdle(handlers: "linkage" | "lifecycle" | "both"): Promise<void> {
    const { database, linkage, lifecycle } = contextOf();
    if (handlers !== "linkage" && !lifecycle) throw new Error("this scenario has no lifecycle service");
    const runner = createConsumerRunner({
      db: database.db,
      pool: database.pool,
      handlers:
        handlers === "linkage"
          ? [linkage.handler]
          : handlers === "lifecycle"
            ? [lifecycle!.handler]
            : [linkage.handler, lifecycle!.handler],
    });
    while ((await runner.catchUp()).applied > 0);
  }

  return {
    ingest,
    /** A person's admission, visa, encounter and final removal order, keys prefixed. */
    async ingestPerson(prefix: string, who: Someone): Promise<void> {
      await ingest("admission", {
        ...who,
        i94_number: `${prefix}940000001`,
        class_of_admission: "B2",
        admission_date: dayFromToday(-900),
        admit_until: dayFromToday(-720),
        port_of_entry: "JFK",
      });
      await ingest("visa", {
        ...who,
        visa_id: `V-${prefix}`,
        visa_class: "B2",
        issue_date: dayFromToday(-1000),
        expiry_date: dayFromToday(-600),
      });
      await ingest("encounter", {
        ...who,
        encounter_id: `EN-${prefix}`,
        encounter_type: "interior_arrest",
        event_date: dayFromToday(-300),
      });
      await ingest("court", {
        ...who,
        court_event_id: `CE-${prefix}`,
        case_id: `C-${prefix}`,
        case_type: "RMV",
        event_type: "decision",
        event_date: dayFromToday(-200),
        outcome: "removal_ordered",
        in_absentia: "N",
        notice_served: "Y",
        destination_country: who.nationality,
      });
    },
    /** The person holding a record (`FEED:KEY`). */
    personOf: async (record: string) => (await membershipOf(contextOf().database)).get(record)!,
    /** The linkage and lifecycle handlers until nothing is left. */
    catchUp: () => runUntilIdle(contextOf().lifecycle ? "both" : "linkage"),
    /** The lifecycle projection alone (the linkage handler's events left for the batch to cover). */
    deriveStatuses: () => runUntilIdle("lifecycle"),
    /** The IDENTITY_NOT_CONFIRMED gate as the engine answers `passage status --record`. */
    async identityGateOf(record: string) {
      const { lifecycle } = contextOf();
      if (!lifecycle) throw new Error("this scenario has no lifecycle service");
      const answer = await lifecycle.statusOfRecord(record, {});
      return {
        personId: answer.personId,
        actionable: answer.actionable,
        gate: answer.gates.results.find((result) => result.gate === "IDENTITY_NOT_CONFIRMED"),
      };
    },
  };
}
