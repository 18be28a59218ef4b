import type { Feed, FieldIssue, NormalisedFields } from "@passage/core";
import { CLOCK_SKEW_MS } from "./clock-skew.ts";

/**
 * A date of what had already happened when its row was sent, and why it cannot lie ahead. Dates
 * that may lawfully lie ahead are not listed: `admit_until`, a visa's `expiry_date`, `valid_from`
 * and `valid_to`, a court `deadline`, a court `event_date` (hearings are scheduled ahead), a
 * flight's `date`.
 */
interface HappenedDate {
  readonly field: string;
  readonly why: string;
}

/**
 * Two dates of one row that cannot be the other way round: `earlier` on or before `later`. The
 * warning names `field` (the one of the two it is about), only when both are dates and `applies`
 * (if given) holds for the row.
 */
interface DateOrder {
  readonly earlier: string;
  readonly later: string;
  readonly field: string;
  readonly why: string;
  readonly applies?: (fields: NormalisedFields) => boolean;
}

interface FeedDateRules {
  readonly happened: readonly HappenedDate[];
  readonly ordered: readonly DateOrder[];
}

const BIRTH: HappenedDate = { field: "date_of_birth", why: "no one is born after a record of them is made" };

/** A person is born on or before anything a row records of them (equal: citizenship at birth). */
const bornBy = (event: string): DateOrder => ({
  earlier: "date_of_birth",
  later: event,
  field: "date_of_birth",
  why: `a person is born on or before the ${event} of their own record`,
});

/**
 * Per feed (SOURCES.md), the dates that cannot be later than the row's receipt and the pairs that
 * must be ordered. Day/month swaps and placeholders make such dates (a recent date swapped can land
 * in the future) and `date_of_birth` is evidence, not truth, so a row breaking these rules is
 * stored with a warning, never rejected: rejecting it would lose the rest of its evidence.
 */
const DATE_RULES: Readonly<Record<Feed, FeedDateRules>> = {
  visa: {
    happened: [BIRTH, { field: "issue_date", why: "a visa is recorded once it has been issued" }],
    ordered: [
      {
        earlier: "issue_date",
        later: "expiry_date",
        field: "expiry_date",
        why: "a visa expires after it is issued",
      },
      bornBy("issue_date"),
    ],
  },
  admission: {
    happened: [BIRTH, { field: "admission_date", why: "an admission is recorded once it has happened" }],
    ordered: [
      {
        earlier: "admission_date",
        later: "admit_until",
        field: "admit_until",
        why: "an admitted stay ends on or after the day it begins",
      },
      bornBy("admission_date"),
    ],
  },
  departure: {
    happened: [BIRTH, { field: "departure_date", why: "a departure is recorded once it has happened" }],
    ordered: [bornBy("departure_date")],
  },
  benefit: {
    happened: [
      BIRTH,
      { field: "event_date", why: "an event on an application is recorded once it has happened" },
    ],
    ordered: [
      {
        earlier: "valid_from",
        later: "valid_to",
        field: "valid_to",
        why: "a granted period ends on or after it starts",
      },
      bornBy("event_date"),
    ],
  },
  court: {
    happened: [BIRTH],
    ordered: [
      {
        earlier: "event_date",
        later: "deadline",
        field: "deadline",
        why: "a deadline set by an event falls on or after the event",
      },
      bornBy("event_date"),
    ],
  },
  custody: {
    happened: [BIRTH, { field: "event_date", why: "a custody event is recorded once it has happened" }],
    ordered: [bornBy("event_date")],
  },
  encounter: {
    happened: [
      BIRTH,
      { field: "event_date", why: "an encounter is recorded once it has happened" },
      { field: "entry_date", why: "an entry is estimated only once it has happened" },
    ],
    ordered: [
      {
        earlier: "entry_date",
        later: "event_date",
        field: "entry_date",
        why: "the estimated entry is on or before the encounter that estimated it",
      },
      bornBy("entry_date"),
      bornBy("event_date"),
    ],
  },
  conviction: {
    happened: [BIRTH, { field: "disposition_date", why: "a disposition is recorded once it has been made" }],
    ordered: [bornBy("disposition_date")],
  },
  citizenship: {
    happened: [BIRTH, { field: "effective_date", why: "citizenship is recorded once it has taken effect" }],
    ordered: [bornBy("effective_date")],
  },
  travel_document: {
    happened: [{ field: "event_date", why: "a travel document's status is recorded once it has changed" }],
    ordered: [
      {
        earlier: "event_date",
        later: "valid_to",
        field: "valid_to",
        why: "an issued travel document is valid to a day on or after its issue",
        applies: (fields) => fields.status === "issued",
      },
    ],
  },
  flight: { happened: [], ordered: [] },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** UTC+14 (Kiribati's Line Islands): the calendar date furthest ahead anywhere. */
const FURTHEST_AHEAD_OFFSET_MS = 14 * 60 * 60 * 1000;

/** A normalised field's value when it is a date (`admit_until` may be `D/S`; absent is undefined). */
function dateOf(fields: NormalisedFields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === "string" && ISO_DATE.test(value) ? value : undefined;
}

/**
 * The latest calendar date a source could write when the row was received: a local date, so the
 * date of the time zone furthest ahead, an hour's clock skew allowed (as for timestamps).
 */
function latestPossibleDate(receivedAt: string): string | undefined {
  const received = Date.parse(receivedAt);
  if (Number.isNaN(received)) return undefined;
  return new Date(received + CLOCK_SKEW_MS + FURTHEST_AHEAD_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The impossible dates of a valid row, each a warning naming the field, its value and why it
 * cannot be right: a date of something that had happened later than the row's receipt, or two
 * dates of one row the wrong way round. Nothing is dropped or changed: the row is stored as it
 * came, and lifecycle and linkage read it as they would without the warning.
 */
export function implausibleDates(feed: Feed, fields: NormalisedFields, receivedAt: string): FieldIssue[] {
  const rules = DATE_RULES[feed];
  const warnings: FieldIssue[] = [];
  const latest = latestPossibleDate(receivedAt);
  for (const { field, why } of rules.happened) {
    const value = dateOf(fields, field);
    if (value !== undefined && latest !== undefined && value > latest) {
      warnings.push({
        field,
        reason: `${value} is after the row was received (${receivedAt}): ${why}; kept as received`,
      });
    }
  }
  for (const order of rules.ordered) {
    const earlier = dateOf(fields, order.earlier);
    const later = dateOf(fields, order.later);
    if (earlier === undefined || later === undefined || earlier <= later) continue;
    if (order.applies !== undefined && !order.applies(fields)) continue;
    const [value, other, relation] =
      order.field === order.earlier
        ? [earlier, `${order.later} ${later}`, "after"]
        : [later, `${order.earlier} ${earlier}`, "before"];
    warnings.push({
      field: order.field,
      reason: `${value} is ${relation} ${other}: ${order.why}; kept as received`,
    });
  }
  return warnings;
}

/** The fields each feed's date rules name, for a test that they are date fields of the feed. */
export function dateRuleFieldsOf(feed: Feed): readonly string[] {
  const rules = DATE_RULES[feed];
  return [
    ...rules.happened.map((rule) => rule.field),
    ...rules.ordered.flatMap((rule) => [rule.earlier, rule.later]),
  ];
}
