import { parseTimestamp } from "../feeds/normalise-field.ts";
import type { RecordCitation, SourceRecord } from "../records/source-record.ts";
import { type AdmissionPeriod, admissionPeriodOf } from "./admission-period.ts";
import { receiptsOf } from "./benefit-receipts.ts";
import { type DayNumber, formatDayNumber, parseDayNumber } from "./calendar-date.ts";
import { compareCitations, mergeCitations } from "./citations.ts";
import { type CompiledLifecycleRules, compileLifecycleRules } from "./compiled-lifecycle-rules.ts";
import {
  type CourtCase,
  groupByCase,
  isInAbsentiaOrder,
  replayCourtCase,
  replayOptionsOf,
} from "./court-case.ts";
import { type CourtCaseStatus, courtCaseStatus } from "./court-case-status.ts";
import { type CurrentStay, currentStayOf } from "./current-stay.ts";
import { LifecycleErrors } from "./lifecycle-errors.ts";
import { DEFAULT_LIFECYCLE_RULES, type LifecycleRules } from "./lifecycle-rules.ts";
import { nextChangeDayOf } from "./next-change.ts";
import { type PersonEvents, readPersonEvents, selectKnownVersions } from "./person-events.ts";
import type {
  CitizenshipClaim,
  EvidenceEntry,
  GateInputs,
  PersonStatus,
  StatusFacts,
} from "./person-status.ts";
import {
  activeTravelDocument,
  citizenshipOf,
  type PrimaryStateResult,
  primaryStateOf,
} from "./primary-state.ts";
import { grantPeriodsOf, grantsOf, isCurrent } from "./protections.ts";
import { describeState } from "./state-descriptions.ts";
import { blockersOf } from "./status-blockers.ts";
import {
  admissionFact,
  benefitFacts,
  citizenshipFact,
  courtCaseFact,
  departureFact,
  entryFact,
  otherCourtCaseFact,
  overstayFact,
  protectionFacts,
  travelDocumentFact,
} from "./status-facts.ts";
import { custodyOf, openClaimsOf, overlaysOf, stayPeriodFact, stayPeriodsOf } from "./status-overlays.ts";
import { timelineOf } from "./status-timeline.ts";
import { paroleTerminatedBy, unlawfulPresenceOf } from "./unlawful-presence.ts";

export interface DeriveStatusOptions {
  /** Valid time: the date the status describes, `YYYY-MM-DD`. Only events dated on or before it count. */
  readonly asOf: string;
  /** Record time: read only record versions stored at or before this ISO 8601 moment (default: all). */
  readonly knownAt?: string;
  readonly rules?: LifecycleRules;
  /** Citizenship claims opened through redress, as known at `knownAt`. */
  readonly claims?: readonly CitizenshipClaim[];
}

type OtherCourtCase = { courtCase: CourtCase; reason: "earlier_stay" | "superseded" };

/** Whether `candidate` is later than `current`: by last event, then the greater case id. */
const isLaterCase = (candidate: CourtCase, current: CourtCase | null) =>
  current === null ||
  candidate.lastEventDay > current.lastEventDay ||
  (candidate.lastEventDay === current.lastEventDay && candidate.caseId > current.caseId);

/** The latest of some cases, or null. */
const latestCaseOf = (cases: readonly CourtCase[]) =>
  cases.reduce<CourtCase | null>(
    (latest, courtCase) => (isLaterCase(courtCase, latest) ? courtCase : latest),
    null,
  );

/** A court process of the case itself holds its order back: appeal window or appeal, VD period, in absentia MTR. */
const holdsOrder = (status: CourtCaseStatus) =>
  status.withinAppealWindow ||
  status.appealPending ||
  status.voluntaryDepartureRunning ||
  status.motionInAbsentiaPending;

/**
 * Whether a case belongs to an earlier stay (docs/lifecycle-semantics.md §2, closing): opened on or
 * before the departure that ended the previous stay, or with all its events before the current stay.
 * Its order was executed or abandoned by that departure and is history: events dated after the
 * re-entry (a motion, a stay, the Board's decision of an appeal the departure withdrew, 8 CFR
 * 1003.4) do not bring it back. Reusing it takes DHS reinstatement (INA 241(a)(5), 8 CFR 241.8, with
 * reasonable-fear screening), which the feeds do not carry; a filing by the respondent on the old
 * case must never make them an enforcement target.
 */
function isOfEarlierStay(courtCase: CourtCase, stay: CurrentStay): boolean {
  if (stay.stayBeganDay === null) return false;
  if (courtCase.lastEventDay < stay.stayBeganDay) return true;
  const departure = stay.previousDeparture;
  // A case opened on the departure's own day is read as opened before it: the reading that cannot
  // turn an executed order into a current one.
  return departure !== null && courtCase.events[0]!.day <= departure.day;
}

/**
 * The case has stopped driving the state without deciding removal: its termination or dismissal is
 * final, or it holds no step of proceedings. A grant of relief (the status it confers decides, §6)
 * and voluntary departure complied with still decide.
 */
function endedWithoutDeciding(courtCase: CourtCase, status: CourtCaseStatus): boolean {
  if (status.stage !== null) return false;
  const kind = courtCase.decision?.kind;
  return kind === undefined || kind === "terminated" || kind === "dismissed";
}

/**
 * Picks the case that drives the state (docs/lifecycle-semantics.md §2, closing): the latest (by
 * last event) of the current stay's cases, custody matters left out. A custody matter (continued
 * detention review, bond: `custodyCaseTypes`) decides detention, not removal: it neither reopens
 * proceedings nor hides an order. A later case that ended without deciding removal (terminated or
 * dismissed) does not vacate an earlier case's order (8 CFR 1241.1): the latest earlier case whose
 * order still stands drives; an earlier case reopened, or a later grant of relief, has no such order
 * to bring back. A later case's final order does not set aside an earlier removal case whose own
 * order is still held back (appeal window or appeal, VD period, an in absentia motion to reopen):
 * the latest such case drives, so its blocker is not lost.
 */
function drivingCaseOf(
  cases: readonly CourtCase[],
  stay: CurrentStay,
  custodyCaseTypes: ReadonlySet<string>,
  statusOf: (courtCase: CourtCase) => CourtCaseStatus,
): { driving: CourtCase | null; court: CourtCaseStatus | null; others: OtherCourtCase[] } {
  const candidates = cases.filter(
    (courtCase) => !isOfEarlierStay(courtCase, stay) && !custodyCaseTypes.has(courtCase.caseType),
  );
  let driving = latestCaseOf(candidates);
  let court = driving === null ? null : statusOf(driving);
  if (driving !== null && court !== null && endedWithoutDeciding(driving, court)) {
    const standing = latestCaseOf(
      candidates.filter((courtCase) => {
        if (courtCase === driving) return false;
        const status = statusOf(courtCase);
        return status.hasOrder && status.stage !== null;
      }),
    );
    if (standing !== null) {
      driving = standing;
      court = statusOf(standing);
    }
  }
  if (court?.isFinal) {
    const held = latestCaseOf(
      candidates.filter((courtCase) => courtCase !== driving && holdsOrder(statusOf(courtCase))),
    );
    if (held !== null) {
      driving = held;
      court = statusOf(held);
    }
  }
  const others = cases
    .filter((courtCase) => courtCase !== driving)
    .map((courtCase) => ({
      courtCase,
      reason: isOfEarlierStay(courtCase, stay) ? ("earlier_stay" as const) : ("superseded" as const),
    }))
    .sort((left, right) => (left.courtCase.caseId < right.courtCase.caseId ? -1 : 1));
  return { driving, court, others };
}

/** The stay as it would be without its ending claimed departure (the stay goes on). */
function withoutClaim(stay: CurrentStay): CurrentStay {
  return { ...stay, departure: null };
}

/** The known-at moment normalised to UTC (as ingest normalises timestamps), and in milliseconds. */
function knownAtOf(knownAt: string | undefined): { text: string; millis: number } | undefined {
  if (knownAt === undefined) return undefined;
  const parsed = parseTimestamp(knownAt);
  if (!parsed.ok) throw LifecycleErrors.invalidKnownAt.create(knownAt);
  const text = String(parsed.value);
  return { text, millis: Date.parse(text) };
}

/**
 * Derives one person's legal status from their source records (docs/lifecycle-semantics.md):
 * the latest version of each record known at `knownAt`, events dated on or before `asOf`.
 * Pure and deterministic: the same records in any order give the same status.
 */
/**
 * A parole that a notice to appear ended on its day (8 CFR 212.5(e)(2)(i); DOMAIN.md §1.1: PAROLED
 * is left by an NTA) as the state, the facts and the next change read it: authorised to that day,
 * citing the notice, as unlawful presence counts it (`paroleTerminatedBy`).
 */
function paroleAsEndedByNotice(
  admission: AdmissionPeriod | null,
  events: PersonEvents,
  asOfDay: DayNumber,
  rules: CompiledLifecycleRules,
): AdmissionPeriod | null {
  const notice = paroleTerminatedBy(admission, events.court, asOfDay, rules);
  return notice === null
    ? admission
    : { ...admission!, authorisedUntilDay: notice.day, paroleEndedBy: notice };
}

export function deriveStatus(records: readonly SourceRecord[], options: DeriveStatusOptions): PersonStatus {
  const asOfDay = parseDayNumber(options.asOf);
  if (asOfDay === undefined) throw LifecycleErrors.invalidAsOf.create(options.asOf);
  const knownAt = knownAtOf(options.knownAt);
  const rules = compileLifecycleRules(options.rules ?? DEFAULT_LIFECYCLE_RULES);
  const events = readPersonEvents(selectKnownVersions(records, knownAt?.millis), asOfDay);

  const stay = currentStayOf(events, rules);
  const receipts = receiptsOf(events.benefits);
  const admission = paroleAsEndedByNotice(
    admissionPeriodOf(stay.latestEntry, receipts, rules),
    events,
    asOfDay,
    rules,
  );
  const replayOptions = replayOptionsOf(rules);
  const cases = [...groupByCase(events.court).values()].map((caseEvents) =>
    replayCourtCase(caseEvents, replayOptions, stay.verifiedDepartureDays),
  );
  const custodyCaseTypes = new Set(rules.rules.custodyCaseTypes.map((type) => type.toUpperCase()));
  const { driving, court, others } = drivingCaseOf(cases, stay, custodyCaseTypes, (courtCase) =>
    courtCaseStatus(courtCase, asOfDay, stay.verifiedDepartureDays),
  );
  const decision = driving?.decision ?? null;
  const grants = grantsOf(receipts, cases);
  // The oath (an approval's valid_from) makes a citizen, a revocation (INA 340) unmakes one.
  const { records: citizenshipRecords, naturalisation } = citizenshipOf(
    events.citizenship,
    receipts,
    asOfDay,
  );
  const finality = court?.isFinal ? court.finality : null;
  const travelDocument =
    finality === null ? null : activeTravelDocument(events.travelDocuments, finality.day, asOfDay);

  const primaryInputs = {
    asOfDay,
    citizenship: citizenshipRecords,
    naturalisation,
    stay,
    court,
    travelDocument,
    grants,
    receipts,
    admission,
  };
  const primary = primaryStateOf(primaryInputs);
  const claimedAlone = stay.departure?.tier === "claimed";
  const openClaims = openClaimsOf(options.claims ?? [], asOfDay);
  const stayPeriods = stayPeriodsOf(cases, receipts);
  const custody = custodyOf(events.custody, stay);
  const overlays = overlaysOf({
    asOfDay,
    stayPeriods,
    custody,
    custodyEvents: events.custody,
    finalOrderHolds: finality !== null,
    receipts,
    courtEvents: events.court,
    openClaims,
    rules,
  });
  const nationalities = new Set(events.nationalities.map((observation) => observation.value));
  const held = blockersOf({
    asOfDay,
    primary,
    overlays,
    openClaims,
    court,
    decision,
    grants,
    receipts,
    courtEvents: events.court,
    nationalities,
    rules,
  });
  // Blockers bind by law, and so do the policy-dependent protections of DOMAIN.md §1.9 (deferred
  // action, T/U/VAWA/SIJ) unless the rules leave one to the published priority policy: that one is
  // reported apart, as a consideration, so that "no blocker holds" means what CLI.md says.
  const holds = (blocker: (typeof held)[number]) =>
    blocker.binding === "law" || rules.policyDependentBlockersHold.has(blocker.code);
  const blockers = held.filter(holds);
  const policyConsiderations = held.filter((blocker) => !holds(blocker));
  // The order exists in the sense of §8: the primary state is FINAL_ORDER or REMOVAL_IN_PROGRESS
  // (so never for a citizen or after a verified departure). A claimed departure alone (a
  // self-report no government record corroborates, DOMAIN.md §1.8) is DEPARTED(claimed) but ends
  // no order: the order is read from the state the case would have without the claim.
  const orderState = claimedAlone ? primaryStateOf({ ...primaryInputs, stay: withoutClaim(stay) }) : primary;
  const finalOrderExecutable =
    (orderState.primary === "FINAL_ORDER" || orderState.primary === "REMOVAL_IN_PROGRESS") &&
    blockers.length === 0;

  const citizenship = citizenshipFact(citizenshipRecords, naturalisation);
  const facts: StatusFacts = {
    entry: entryFact(stay),
    admission: admissionFact(admission),
    overstay: overstayFact(primary, admission, receipts, stay, asOfDay),
    unlawfulPresence: unlawfulPresenceOf(
      stay,
      admission,
      events.court,
      receipts,
      grantPeriodsOf(receipts, cases, replayOptions),
      events.datesOfBirth,
      citizenship,
      asOfDay,
      rules,
    ),
    benefits: benefitFacts(receipts, asOfDay),
    protections: protectionFacts(grants, asOfDay),
    court: driving === null || court === null ? null : courtCaseFact(driving, court),
    otherCourtCases: others.map(({ courtCase, reason }) => otherCourtCaseFact(courtCase, reason)),
    stayPeriods: stayPeriods.map((period) => stayPeriodFact(period, asOfDay)),
    custody,
    departure: departureFact(stay),
    travelDocument: travelDocumentFact(travelDocument, events.travelDocuments),
    citizenship,
  };
  const gateInputs = gateInputsOf(events, stay.departure, orderState, decision, grants, asOfDay);
  const state = {
    primary: primary.primary,
    detail: primary.detail,
    since: primary.sinceDay === null ? null : formatDayNumber(primary.sinceDay),
    until: primary.untilDay === null ? null : formatDayNumber(primary.untilDay),
    description: describeState(primary),
    evidence: primary.evidence,
  };
  const timeline = timelineOf(events, finality);
  const nextChangeDay = nextChangeDayOf({
    asOfDay,
    events,
    admission,
    decision,
    court,
    grants,
    stayPeriods,
    claims: options.claims ?? [],
    nationalities,
    tpsDesignations: rules.rules.tpsDesignations,
  });
  return {
    asOf: options.asOf,
    knownAt: knownAt?.text ?? null,
    state,
    overlays,
    blockers,
    policyConsiderations,
    finalOrderExecutable,
    nextChangeOn: nextChangeDay === null ? null : formatDayNumber(nextChangeDay),
    facts,
    gateInputs,
    timeline,
    evidence: evidenceIndex(
      primary,
      overlays,
      [...blockers, ...policyConsiderations],
      facts,
      gateInputs,
      timeline,
    ),
  };
}

function gateInputsOf(
  events: PersonEvents,
  departure: ReturnType<typeof currentStayOf>["departure"],
  orderState: PrimaryStateResult,
  decision: CourtCase["decision"],
  grants: ReturnType<typeof grantsOf>,
  asOfDay: number,
): GateInputs {
  const nationalities = new Map<string, RecordCitation[]>();
  for (const observation of events.nationalities) {
    const list = nationalities.get(observation.value) ?? [];
    list.push(observation.citation);
    nationalities.set(observation.value, list);
  }
  const event = decision?.event ?? null;
  return {
    inAbsentiaOrder:
      decision !== null && isInAbsentiaOrder(decision)
        ? { decidedOn: event!.date, noticeServed: event!.noticeServed, evidence: [event!.citation] }
        : null,
    claimedDeparturePending:
      departure !== null && departure.tier === "claimed"
        ? {
            claimedOn: departure.record.date,
            evidence: [departure.record.citation],
            stateWithoutClaim: orderState.primary,
            evidenceWithoutClaim: orderState.evidence,
          }
        : null,
    withholdingCountries: grants
      .filter((grant) => (grant.type === "WITHHOLDING" || grant.type === "CAT") && isCurrent(grant, asOfDay))
      .map((grant) => ({
        country: grant.country,
        protection: grant.type as "WITHHOLDING" | "CAT",
        evidence: grant.evidence,
      })),
    destinationCountry:
      event?.destinationCountry == null
        ? null
        : { country: event.destinationCountry, evidence: [event.citation] },
    nationalities: [...nationalities.entries()]
      .sort(([left], [right]) => (left < right ? -1 : 1))
      .map(([country, citations]) => ({ country, evidence: mergeCitations(citations) })),
  };
}

/** Cited record versions by `feed, recordKey, version` (one entry however many objects cite it). */
type EvidenceIndex = Map<string, { citation: RecordCitation; supports: string[] }>;

function cite(index: EvidenceIndex, label: string, citations: readonly RecordCitation[] | undefined): void {
  if (citations === undefined) return;
  for (const citation of citations) {
    const key = `${citation.feed}\u0000${citation.recordKey}\u0000${citation.version}`;
    const entry = index.get(key);
    if (entry === undefined) index.set(key, { citation, supports: [label] });
    else if (!entry.supports.includes(label)) entry.supports.push(label);
  }
}

/** Cites, under one label, every `evidence` list in a value at any depth (a fact's nested parts: tolling intervals, periods). */
function citeNested(index: EvidenceIndex, label: string, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) citeNested(index, label, item);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (key === "evidence" && Array.isArray(item)) cite(index, label, item as RecordCitation[]);
    else citeNested(index, label, item);
  }
}

/** Every cited record version, with the parts of the status it supports. */
function evidenceIndex(
  primary: PrimaryStateResult,
  overlays: PersonStatus["overlays"],
  blockers: PersonStatus["blockers"],
  facts: StatusFacts,
  gateInputs: GateInputs,
  timeline: PersonStatus["timeline"],
): EvidenceEntry[] {
  const index: EvidenceIndex = new Map();
  cite(index, "state", primary.evidence);
  for (const overlay of overlays) cite(index, `overlay:${overlay.overlay}`, overlay.evidence);
  for (const blocker of blockers) {
    const kind = blocker.binding === "law" ? "blocker" : "consideration";
    cite(index, `${kind}:${blocker.code}`, blocker.evidence);
  }
  // A fact's evidence can sit below its top level (unlawfulPresence.tolling[].evidence).
  for (const [name, fact] of Object.entries(facts)) citeNested(index, `facts.${name}`, fact);
  for (const [name, input] of Object.entries(gateInputs)) citeNested(index, `gateInputs.${name}`, input);
  for (const entry of timeline) cite(index, "timeline", entry.evidence);
  return [...index.values()]
    .sort((left, right) => compareCitations(left.citation, right.citation))
    .map(({ citation, supports }) => ({
      feed: citation.feed,
      recordKey: citation.recordKey,
      version: citation.version,
      supports: supports.sort(),
    }));
}
