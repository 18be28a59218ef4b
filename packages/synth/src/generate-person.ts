import { type DayNumber, dayFromParts } from "./calendar/day-number.ts";
import { NATIONALITY_PROFILES } from "./names/nationality-profiles.ts";
import type { NamingCulture } from "./names/person-name.ts";
import type { NoiseTally } from "./noise/noise-rates.ts";
import { type PopulationPlan, STREAMS, WeightedTable } from "./population-plan.ts";
import { type SeededRandom, streamRandom } from "./random/seeded-random.ts";
import { type DocumentedSex, drawBirthDay, type Identity, personIdOf } from "./records/identity.ts";
import type { SyntheticRow } from "./records/record-draft.ts";
import { renderPersonRows } from "./records/render-person-rows.ts";
import { firstEventDay, ScenarioKit } from "./scenarios/scenario-kit.ts";
import type { LifecycleTruth } from "./truth/lifecycle-truth.ts";
import { TruthBuilder } from "./truth/truth-builder.ts";

/** One generated person: their source rows in every feed and their ground truth. */
export interface SyntheticPerson {
  readonly index: number;
  readonly personId: string;
  readonly rows: readonly SyntheticRow[];
  /** Deliberately malformed copies of rows (only when a malformed rate is configured). */
  readonly malformedRows: readonly SyntheticRow[];
  readonly truth: LifecycleTruth;
}

/** Share of people, drawn independently of everything else, with one to three court dispositions. */
export const CONVICTION_SHARE = 0.07;
/** Share of people given their culture's most common name and a birth year in a narrow band. */
export const COMMON_NAME_SHARE = 0.03;
const COMMON_NAME_BIRTH_YEARS = [1984, 1988] as const;

const cultureTables = new Map<string, WeightedTable<NamingCulture>>(
  NATIONALITY_PROFILES.map((profile) => [profile.code, new WeightedTable(profile.cultures)]),
);

/**
 * Generates person `index` of a run. Depends only on the plan and the index (each person has
 * their own random stream), so persons can be generated in any order or in parallel.
 */
export function generatePerson(plan: PopulationPlan, index: number, tally: NoiseTally): SyntheticPerson {
  const random = streamRandom(plan.seed, STREAMS.person, index);
  const scenario =
    index < plan.firstScenarios.length ? plan.firstScenarios[index]! : plan.scenarios.at(random.next());
  const nationality = plan.nationalities[scenario.nationalities].at(random.next());
  const culture = cultureTables.get(nationality.code)!.at(random.next());
  const sex: DocumentedSex = random.chance(0.001) ? "X" : random.chance(scenario.maleShare) ? "M" : "F";
  const nameSex = sex === "X" ? (random.chance(0.5) ? "M" : "F") : sex;
  const commonName = random.chance(COMMON_NAME_SHARE);
  const identity: Identity = {
    index,
    personId: personIdOf(index),
    sex,
    birthDay: commonName
      ? commonNameBirthDay(random, nationality.placeholderBirthDateShare)
      : drawBirthDay(random, plan.asOf, 22, 70, nationality.placeholderBirthDateShare),
    nationality,
    countryOfBirth: random.chance(0.97) ? nationality.code : random.pick(NATIONALITY_PROFILES).code,
    culture,
    name: commonName ? culture.commonName(nameSex) : culture.compose(random, nameSex),
    hasPassport: true,
    commonName,
  };
  const truth = new TruthBuilder(plan.asOf);
  const kit = new ScenarioKit({ random, asOf: plan.asOf, identity, ids: plan.ids, truth });
  scenario.build(kit);
  if (!kit.birthFixed) keepBirthBeforeEvents(kit, random);
  addConvictions(kit);
  const rendered = renderPersonRows(identity, kit.drafts, kit.aNumberSince, random, {
    ids: plan.ids,
    noise: plan.options.noise,
    malformedRate: plan.options.malformedRate,
    tally,
  });
  if (rendered.secondANumber) truth.identityInDoubt("conflicting_a_numbers");
  if (rendered.passportRenewed) truth.identityInDoubt("conflicting_passport_numbers");
  return {
    index,
    personId: identity.personId,
    rows: rendered.rows,
    malformedRows: rendered.malformedRows,
    truth: truth.finish(identity.personId, scenario.name, nationality.code, rendered.records),
  };
}

function commonNameBirthDay(random: SeededRandom, placeholderShare: number): DayNumber {
  const year = random.between(COMMON_NAME_BIRTH_YEARS[0], COMMON_NAME_BIRTH_YEARS[1]);
  if (random.chance(placeholderShare)) return dayFromParts(year, 1, 1);
  return random.between(dayFromParts(year, 1, 1), dayFromParts(year, 12, 31));
}

/** A person whose scenario did not set their age is at least 16 at their first recorded event. */
function keepBirthBeforeEvents(kit: ScenarioKit, random: SeededRandom): void {
  const first = firstEventDay(kit);
  const identity = kit.identity;
  if (first - identity.birthDay >= 16 * 365.25) return;
  kit.fixBirth(drawBirthDay(random, first, 16, 50, identity.nationality.placeholderBirthDateShare));
}

/** Convictions while present in the United States, for a share of people independent of nationality and scenario. */
function addConvictions(kit: ScenarioKit): void {
  const random = kit.random;
  if (!random.chance(CONVICTION_SHARE) || kit.presentSince === null) return;
  const from = Math.max(kit.presentSince + 30, kit.identity.birthDay + 18 * 365);
  const until =
    kit.truth.state === "DEPARTED" && kit.truth.departure !== null ? kit.truth.departure.day - 1 : kit.asOf;
  if (until <= from) return;
  const count = random.chance(0.7) ? 1 : random.chance(0.67) ? 2 : 3;
  for (let conviction = 0; conviction < count; conviction++) kit.conviction(random.between(from, until));
}
