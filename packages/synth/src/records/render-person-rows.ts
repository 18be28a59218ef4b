import { FEED_SCHEMAS } from "@passage/core";
import type { DayNumber } from "../calendar/day-number.ts";
import type { PersonName } from "../names/person-name.ts";
import { hasCompoundSurname, surnameVariant, typo } from "../noise/name-noise.ts";
import type { NoiseRates, NoiseTally } from "../noise/noise-rates.ts";
import type { SeededRandom } from "../random/seeded-random.ts";
import {
  FEED_PROFILES,
  type FeedProfile,
  formatANumber,
  isRequired,
  type PersonFeed,
  type PersonField,
} from "./feed-profiles.ts";
import type { IdentifierFactory } from "./identifier-factory.ts";
import type { Identity } from "./identity.ts";
import { malformedCopy } from "./malformed-copy.ts";
import { type NameCache, PersonCache, withToken, writeName } from "./person-cache.ts";
import type { RecordDraft, SourceRow, SyntheticRow } from "./record-draft.ts";

/** What rendering a person's rows produced, beyond the rows themselves. */
export interface RenderedPerson {
  readonly rows: SyntheticRow[];
  readonly malformedRows: SyntheticRow[];
  /** `FEED:KEY` of every record, each once, in order of first appearance. */
  readonly records: string[];
  readonly secondANumber: boolean;
  readonly passportRenewed: boolean;
}

/** One record (a feed key and all its event rows). */
interface Entity {
  readonly feed: PersonFeed;
  readonly rendering: FeedRendering;
  readonly day: DayNumber;
  readonly drafts: RecordDraft[];
  /** Bit set of the person fields this record carries (see FIELD_BITS). */
  present: number;
  alternateANumber: boolean;
  renewedPassport: boolean;
}

/** The settings of a run that rendering needs. */
export interface RenderContext {
  readonly ids: IdentifierFactory;
  readonly noise: NoiseRates;
  readonly malformedRate: number;
  readonly tally: NoiseTally;
}

/**
 * A factory of empty rows per feed, every contract field in contract order. Rows made by it share
 * one shape per feed (fast to fill and to write) and a missing field is "" (as in a CSV). Compiled
 * from the contract's field names (plain identifiers) because object literals are the cheapest
 * way to make them.
 */
const ROW_FACTORIES = new Map<PersonFeed, () => SourceRow>(
  (Object.keys(FEED_PROFILES) as PersonFeed[]).map((feed) => {
    const names = FEED_SCHEMAS[feed].fields.map((field) => field.name);
    if (names.some((name) => !/^[a-z][a-z0-9_]*$/.test(name)))
      throw new Error(`feed ${feed} has a field that is not an identifier`);
    const factory = new Function(
      `return () => ({ ${names.map((name) => `${name}: ""`).join(", ")} });`,
    )() as () => SourceRow;
    return [feed, factory];
  }),
);

/** One bit per person field, for the set of fields a record carries. */
const FIELD_BITS: Readonly<Record<PersonField, number>> = {
  family_name: 1,
  given_names: 2,
  date_of_birth: 4,
  sex: 8,
  country_of_birth: 16,
  nationality: 32,
  a_number: 64,
  passport_number: 128,
  passport_country: 256,
  i94_number: 512,
  fin: 1024,
};

/** A profile's field, prepared once: name, bit, probability, and whether the contract requires it. */
interface ProfileField {
  readonly field: PersonField;
  readonly bit: number;
  readonly probability: number;
  readonly required: boolean;
}

/** What rendering needs of a feed, looked up once per record. */
interface FeedRendering {
  readonly profile: FeedProfile;
  readonly fields: readonly ProfileField[];
  readonly emptyRow: () => SourceRow;
}

const FEED_RENDERING = new Map<PersonFeed, FeedRendering>(
  (Object.keys(FEED_PROFILES) as PersonFeed[]).map((feed) => [
    feed,
    {
      profile: FEED_PROFILES[feed],
      fields: (Object.entries(FEED_PROFILES[feed].fields) as [PersonField, number][]).map(
        ([field, probability]) => ({
          field,
          bit: FIELD_BITS[field],
          probability,
          required: isRequired(feed, field),
        }),
      ),
      emptyRow: ROW_FACTORIES.get(feed)!,
    },
  ]),
);

/**
 * Turns a person's scripted drafts into source rows: adds the person fields each source system
 * records, then the configured noise, counting every opportunity and application.
 */
export function renderPersonRows(
  identity: Identity,
  drafts: readonly RecordDraft[],
  aNumberSince: DayNumber | null,
  random: SeededRandom,
  context: RenderContext,
): RenderedPerson {
  const { noise, tally } = context;
  // A record's events are scripted together, so a new record starts where the key changes.
  const entities: Entity[] = [];
  const records: string[] = [];
  let entity: Entity | null = null;
  for (const draft of drafts) {
    if (entity === null || draft.feed !== entity.feed || draft.key !== entity.drafts[0]!.key) {
      entity = {
        feed: draft.feed,
        rendering: FEED_RENDERING.get(draft.feed)!,
        day: draft.day,
        drafts: [],
        present: 0,
        alternateANumber: false,
        renewedPassport: false,
      };
      entities.push(entity);
      records.push(`${draft.feed}:${draft.key}`);
    }
    entity.drafts.push(draft);
  }

  for (const entity of entities) {
    const first = entity.drafts[0]!;
    for (const { field, bit, probability, required } of entity.rendering.fields) {
      if (!required && !available(field, entity, first, identity, aNumberSince)) continue;
      if (!required && probability < 1 && !random.chance(probability)) continue;
      if (!required) {
        tally.opportunities.missingField++;
        if (random.chance(noise.missingField)) {
          tally.applied.missingField++;
          continue;
        }
      }
      entity.present |= bit;
    }
  }

  const secondANumber = assignSecondANumber(entities, random, context);
  const passportRenewed = assignRenewedPassport(entities, random, context);

  const rows: SyntheticRow[] = [];
  const malformedRows: SyntheticRow[] = [];
  const person = new PersonCache(identity, context.ids);
  for (const entity of entities) {
    const personRow = renderPersonFields(identity, entity, random, context, person);
    const drafts = entity.drafts;
    for (let index = 0; index < drafts.length; index++) {
      const draft = drafts[index]!;
      // The last row of a record takes the person row itself; earlier events copy it.
      const row: SourceRow = Object.assign(
        index === drafts.length - 1 ? personRow : { ...personRow },
        draft.fields,
      );
      rows.push({ feed: entity.feed, row });
      tally.malformedOpportunities++;
      if (context.malformedRate > 0 && random.chance(context.malformedRate)) {
        tally.malformedApplied++;
        malformedRows.push({ feed: entity.feed, row: malformedCopy(entity.feed, row, random) });
      }
    }
  }
  return { rows, malformedRows, records, secondANumber, passportRenewed };
}

function available(
  field: PersonField,
  entity: Entity,
  draft: RecordDraft,
  identity: Identity,
  aNumberSince: DayNumber | null,
): boolean {
  switch (field) {
    case "a_number":
      if (entity.feed === "departure") return draft.withANumber === true;
      return aNumberSince !== null && entity.day >= aNumberSince;
    case "passport_number":
    case "passport_country":
      return identity.hasPassport;
    case "i94_number":
      return draft.i94 !== undefined;
    default:
      return true;
  }
}

/** A duplicate A-file: one record (never a travel-document request) carries the person's second A-number. */
function assignSecondANumber(entities: Entity[], random: SeededRandom, context: RenderContext): boolean {
  let carrying = 0;
  for (const entity of entities) if (carriesANumber(entity)) carrying++;
  if (carrying < 2) return false;
  context.tally.opportunities.secondANumber++;
  if (!random.chance(context.noise.secondANumber)) return false;
  context.tally.applied.secondANumber++;
  let chosen = random.below(carrying);
  for (const entity of entities) {
    if (carriesANumber(entity) && chosen-- === 0) entity.alternateANumber = true;
  }
  return true;
}

function carriesANumber(entity: Entity): boolean {
  return (entity.present & FIELD_BITS.a_number) !== 0 && entity.feed !== "travel_document";
}

/** A renewed passport: records dated on or after the renewal carry the new number. */
function assignRenewedPassport(entities: Entity[], random: SeededRandom, context: RenderContext): boolean {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const entity of entities) {
    if ((entity.present & FIELD_BITS.passport_number) === 0) continue;
    if (entity.day < first) first = entity.day;
    if (entity.day > last) last = entity.day;
  }
  if (!(first < last)) return false;
  context.tally.opportunities.passportRenewal++;
  if (!random.chance(context.noise.passportRenewal)) return false;
  context.tally.applied.passportRenewal++;
  const renewal = random.between(first + 1, last);
  for (const entity of entities) {
    if ((entity.present & FIELD_BITS.passport_number) !== 0) entity.renewedPassport = entity.day >= renewal;
  }
  return true;
}

function renderPersonFields(
  identity: Identity,
  entity: Entity,
  random: SeededRandom,
  context: RenderContext,
  person: PersonCache,
): SourceRow {
  const profile = entity.rendering.profile;
  const fields: SourceRow = entity.rendering.emptyRow();
  const present = entity.present;
  if ((present & FIELD_BITS.family_name) !== 0 || (present & FIELD_BITS.given_names) !== 0) {
    const [family, given] = renderName(person.names, profile.machineNames, random, context);
    if ((present & FIELD_BITS.family_name) !== 0) fields.family_name = family;
    if ((present & FIELD_BITS.given_names) !== 0) fields.given_names = given;
  }
  if ((present & FIELD_BITS.date_of_birth) !== 0)
    fields.date_of_birth = renderBirthDate(person, random, context);
  if ((present & FIELD_BITS.sex) !== 0) fields.sex = identity.sex;
  if ((present & FIELD_BITS.country_of_birth) !== 0) fields.country_of_birth = identity.countryOfBirth;
  if ((present & FIELD_BITS.nationality) !== 0) fields.nationality = identity.nationality.code;
  if ((present & FIELD_BITS.a_number) !== 0) {
    const styles = profile.aNumberStyles;
    fields.a_number = formatANumber(
      person.aNumber(entity.alternateANumber),
      styles[random.below(styles.length)]!,
    );
  }
  if ((present & FIELD_BITS.passport_number) !== 0)
    fields.passport_number = person.passport(entity.renewedPassport);
  if ((present & FIELD_BITS.passport_country) !== 0) fields.passport_country = identity.nationality.code;
  if ((present & FIELD_BITS.i94_number) !== 0) fields.i94_number = entity.drafts[0]!.i94!;
  if ((present & FIELD_BITS.fin) !== 0) fields.fin = person.fin();
  return fields;
}

function renderName(
  names: NameCache,
  machine: boolean,
  random: SeededRandom,
  context: RenderContext,
): [family: string, given: string] {
  const { noise, tally } = context;
  let name: PersonName | null = null;
  const candidates = names.transliterationCandidates(machine);
  if (candidates.length > 0) {
    tally.opportunities.transliteration++;
    if (random.chance(noise.transliteration)) {
      tally.applied.transliteration++;
      const candidate = candidates[random.below(candidates.length)]!;
      name = withToken(
        names.name,
        candidate.index,
        candidate.options[random.below(candidate.options.length)]!,
      );
    }
  }
  if (name === null ? names.compound : hasCompoundSurname(name)) {
    tally.opportunities.surnameForm++;
    if (random.chance(noise.surnameForm)) {
      tally.applied.surnameForm++;
      name = surnameVariant(random, name ?? names.name);
    }
  }
  let [family, given] = name === null ? names.writtenIn(machine) : writeName(name, machine);
  tally.opportunities.nameSwap++;
  if (random.chance(noise.nameSwap)) {
    tally.applied.nameSwap++;
    [family, given] = [given, family];
  }
  tally.opportunities.typo++;
  if (random.chance(noise.typo)) {
    tally.applied.typo++;
    if (random.chance(0.5)) family = typo(random, family);
    else given = typo(random, given);
  }
  return [family, given];
}

function renderBirthDate(person: PersonCache, random: SeededRandom, context: RenderContext): string {
  const { noise, tally } = context;
  const iso = person.birthIso;
  const month = person.birthMonth;
  const day = person.birthDayOfMonth;
  if (month !== "01" || day !== "01") {
    tally.opportunities.dobPlaceholder++;
    if (random.chance(noise.dobPlaceholder)) {
      tally.applied.dobPlaceholder++;
      return `${iso.slice(0, 4)}-01-01`;
    }
  }
  if (day <= "12" && day !== month) {
    tally.opportunities.dobSwap++;
    if (random.chance(noise.dobSwap)) {
      tally.applied.dobSwap++;
      return `${iso.slice(0, 4)}-${day}-${month}`;
    }
  }
  return iso;
}
