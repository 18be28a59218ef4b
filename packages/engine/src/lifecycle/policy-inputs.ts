import {
  citationOf,
  formatCitation,
  type PersonStatus,
  type RecordCitation,
  type SourceRecord,
} from "@passage/core";
import type { BenefitFacts, CaseFacts, ConvictionFacts, EncounterFacts, GateInput } from "@passage/policy";

/**
 * Identity facts from linkage that the gates read (review-band links, conflicting identifiers,
 * a person made only of records unlinked from another, must-links decided on former content).
 */
export type IdentityFacts = GateInput["identity"];

/**
 * No uncertain links, no conflicting identifiers, a record not only unlinked from another person,
 * no must-link outdated by a record's change.
 */
export const CONFIRMED_IDENTITY: IdentityFacts = Object.freeze({
  reviewBandLinks: [],
  conflictingIdentifiers: [],
  unlinkedRecords: [],
  outdatedMustLinks: [],
});

const ORDER_OUTCOMES: Readonly<Record<string, "removal" | "voluntary_departure_alternate">> = {
  removal_ordered: "removal",
  vd_with_alternate_order: "voluntary_departure_alternate",
};

/** What the due-process gates read, from a derived status and linkage's identity facts. */
export function gateInputOf(personId: string, status: PersonStatus, identity: IdentityFacts): GateInput {
  const decision = status.facts.court?.decision ?? null;
  // A citizen's old removal order is void (lifecycle-semantics §2.1: USC is terminal for
  // enforcement whatever else the records say), so no gate reads it; the USC blocker stands alone.
  const isOrder =
    decision !== null && ORDER_OUTCOMES[decision.outcome] !== undefined && status.state.primary !== "USC";
  const claim = status.gateInputs.claimedDeparturePending;
  return {
    personId,
    asOf: status.asOf,
    // Under a claimed departure alone the order stands where it would without the claim (§8).
    status: claim
      ? {
          primaryState: status.state.primary,
          orderState: claim.stateWithoutClaim,
          orderEvidence: claim.evidenceWithoutClaim,
          evidence: status.state.evidence,
        }
      : { primaryState: status.state.primary, evidence: status.state.evidence },
    blockers: status.blockers.map((blocker) => ({
      code: blocker.code,
      binding: blocker.binding,
      evidence: blocker.evidence,
    })),
    identity,
    order:
      decision && isOrder
        ? {
            inAbsentia: decision.inAbsentia,
            noticeServed: decision.noticeServed,
            destinationCountry: decision.destinationCountry,
            evidence: decision.evidence,
          }
        : null,
    withholdingCountries: status.gateInputs.withholdingCountries.map((entry) => ({
      country: entry.country,
      evidence: entry.evidence,
    })),
  };
}

/**
 * The closed allowlist of case facts priority rules may read (ARCHITECTURE.md "Safety by
 * construction"), from a derived status and the person's records. Nothing else of the records
 * — names, nationality, places — is passed on.
 */
export function caseFactsOf(
  personId: string,
  status: PersonStatus,
  records: readonly SourceRecord[],
): CaseFacts {
  const latest = latestVersions(records);
  const court = status.facts.court;
  const decision = court?.decision ?? null;
  const orderType = decision ? ORDER_OUTCOMES[decision.outcome] : undefined;
  const voluntaryDeparture = court?.voluntaryDeparture ?? null;
  return {
    personId,
    asOf: status.asOf,
    order:
      decision && orderType
        ? {
            type: orderType,
            date: decision.decidedOn,
            final: court?.finality !== null && court?.finality !== undefined,
            finalDate: court?.finality?.finalOn ?? null,
            inAbsentia: decision.inAbsentia,
            evidence: [...decision.evidence, ...(court?.finality?.evidence ?? [])],
          }
        : null,
    voluntaryDeparture: voluntaryDeparture
      ? {
          deadline: voluntaryDeparture.deadline,
          failedToDepart: court?.finality?.rule === "f",
          evidence: voluntaryDeparture.evidence,
        }
      : null,
    convictions: convictionsOf(latest, status.asOf),
    entry: status.facts.entry
      ? {
          kind:
            status.facts.entry.kind === "admission"
              ? "admitted"
              : status.facts.entry.kind === "parole"
                ? "paroled"
                : "without_inspection",
          date: status.facts.entry.stayBegan,
          reentryAfterRemoval: status.facts.entry.reentryAfterRemoval,
          evidence: status.facts.entry.evidence,
        }
      : null,
    encounters: encountersOf(latest, status.asOf),
    dateOfBirth: dateOfBirthOf(latest),
    benefits: benefitsOf(status),
    stays: status.facts.stayPeriods
      .filter((stay) => !stay.inEffect)
      .map((stay) => ({ status: "ended" as const, evidence: stay.evidence })),
    policyBlockers: status.policyConsiderations.map((consideration) => ({
      code: consideration.code,
      evidence: consideration.evidence,
    })),
    claimedDeparture: claimedDepartureOf(status),
    nationalSecurityConcern: null,
  };
}

/**
 * A self-reported departure no government record corroborates (DEPARTED claimed), as a case fact;
 * none when the person has been in custody since before the day claimed (a detained person has not
 * left: a government record contradicts the claim, so no policy deprioritises on it).
 */
function claimedDepartureOf(status: PersonStatus): CaseFacts["claimedDeparture"] {
  const claim = status.gateInputs.claimedDeparturePending;
  if (claim === null) return null;
  const custody = status.facts.custody;
  if (custody?.detained && custody.since !== null && custody.since <= claim.claimedOn) return null;
  return { date: claim.claimedOn, evidence: claim.evidence };
}

function latestVersions(records: readonly SourceRecord[]): SourceRecord[] {
  const byKey = new Map<string, SourceRecord>();
  for (const record of records) {
    const key = `${record.feed}:${record.recordKey}`;
    const known = byKey.get(key);
    if (!known || known.version < record.version) byKey.set(key, record);
  }
  return [...byKey.values()].sort((a, b) => (a.feed + a.recordKey).localeCompare(b.feed + b.recordKey));
}

const CONVICTION_DISPOSITIONS = new Set(["convicted", "vacated", "expunged"]);

function convictionsOf(records: readonly SourceRecord[], asOf: string): ConvictionFacts[] {
  const convictions: ConvictionFacts[] = [];
  for (const record of records) {
    if (record.feed !== "conviction") continue;
    const fields = record.fields;
    const disposition = String(fields.disposition);
    const date = String(fields.disposition_date);
    // Acquittals and dismissals are not facts at all: a charge alone is never a basis (DOMAIN.md §4).
    if (!CONVICTION_DISPOSITIONS.has(disposition) || date > asOf) continue;
    convictions.push({
      offenseCode: String(fields.offense_code),
      offenseLevel: fields.offense_level as ConvictionFacts["offenseLevel"],
      aggravatedFelony: fields.aggravated_felony === "Y",
      disposition: disposition as ConvictionFacts["disposition"],
      date,
      sentenceDays: typeof fields.sentence_days === "number" ? fields.sentence_days : null,
      evidence: [citationOf(record)],
    });
  }
  return convictions;
}

function encountersOf(records: readonly SourceRecord[], asOf: string): EncounterFacts[] {
  return records
    .filter((record) => record.feed === "encounter" && String(record.fields.event_date) <= asOf)
    .map((record) => ({
      type: record.fields.encounter_type as EncounterFacts["type"],
      date: String(record.fields.event_date),
      evidence: [citationOf(record)],
    }));
}

/**
 * The date of birth most records agree on (ties: the latest recorded), citing every record that
 * gives it. Rules may read it only for age as a mitigating factor.
 */
function dateOfBirthOf(records: readonly SourceRecord[]): CaseFacts["dateOfBirth"] {
  const citations = new Map<string, RecordCitation[]>();
  const latestSeen = new Map<string, string>();
  for (const record of records) {
    const date = record.fields.date_of_birth;
    if (typeof date !== "string") continue;
    const list = citations.get(date) ?? [];
    list.push(citationOf(record));
    citations.set(date, list);
    if ((latestSeen.get(date) ?? "") < record.recordedAt) latestSeen.set(date, record.recordedAt);
  }
  let best: string | undefined;
  for (const [date, list] of citations) {
    const bestCount = best === undefined ? -1 : citations.get(best)!.length;
    if (
      list.length > bestCount ||
      (list.length === bestCount && latestSeen.get(date)! > latestSeen.get(best!)!)
    ) {
      best = date;
    }
  }
  return best === undefined ? null : { date: best, evidence: citations.get(best)! };
}

function benefitsOf(status: PersonStatus): BenefitFacts[] {
  const benefits: BenefitFacts[] = status.facts.benefits.map((benefit) => ({
    type: benefit.benefit,
    status:
      benefit.status === "pending"
        ? benefit.current
          ? "pending"
          : "ended"
        : benefit.status === "granted"
          ? benefit.current
            ? "granted"
            : "ended"
          : benefit.status === "denied"
            ? "denied"
            : "ended",
    evidence: benefit.evidence,
  }));
  for (const protection of status.facts.protections) {
    const current = protection.validTo === null || protection.validTo >= status.asOf;
    benefits.push({
      type: protection.type,
      status: current ? "granted" : "ended",
      evidence: protection.evidence,
    });
  }
  return benefits;
}

/**
 * A person's identity facts as the records known at a past moment support them: the identity
 * issues are kept as linkage holds them now, so an issue citing a record version stored after
 * that moment (not among `records`) is left out of a known-at answer rather than cited before it
 * existed.
 */
export function identityKnownFrom(identity: IdentityFacts, records: readonly SourceRecord[]): IdentityFacts {
  const known = new Set(records.map(formatCitation));
  const citesKnown = (issue: { readonly evidence: readonly RecordCitation[] }) =>
    issue.evidence.every((citation) => known.has(formatCitation(citation)));
  return {
    ...identity,
    reviewBandLinks: identity.reviewBandLinks.filter(citesKnown),
    conflictingIdentifiers: identity.conflictingIdentifiers.filter(citesKnown),
    unlinkedRecords: identity.unlinkedRecords.filter(citesKnown),
    outdatedMustLinks: identity.outdatedMustLinks.filter(citesKnown),
  };
}
