import type { RecordCitation } from "../records/source-record.ts";
import { formatDayNumber } from "./calendar-date.ts";
import { citationsOf } from "./citations.ts";
import type { Finality } from "./court-case-status.ts";
import { BENEFIT_EVENTS, COURT_EVENTS, type PersonEvents } from "./person-events.ts";
import type { TimelineEntry } from "./person-status.ts";
import { FINALITY_RULES } from "./vocabulary.ts";

/** The dated lifecycle events of a person, oldest first, each citing its record. */

interface Draft {
  readonly day: number;
  readonly order: number;
  readonly key: string;
  readonly entry: TimelineEntry;
}

const COURT_WORDS: Readonly<Record<string, string>> = {
  nta_filed: "Notice to appear filed",
  hearing: "Hearing",
  decision: "Decision",
  appeal_filed: "Appeal filed",
  appeal_decided: "Appeal decided",
  motion_filed: "Motion filed",
  motion_decided: "Motion decided",
  stay_granted: "Stay of removal granted",
  stay_lifted: "Stay of removal lifted",
};

function add(
  drafts: Draft[],
  source: { day: number; date: string; key: string; citation: RecordCitation },
  order: number,
  event: string,
  description: string,
): void {
  drafts.push({
    day: source.day,
    order,
    key: source.key,
    entry: { date: source.date, event, description, evidence: [source.citation] },
  });
}

export function timelineOf(events: PersonEvents, finality: Finality | null): TimelineEntry[] {
  const drafts: Draft[] = [];
  for (const admission of events.admissions) {
    add(
      drafts,
      admission,
      0,
      "admission",
      `Admitted as ${admission.classOfAdmission} until ${admission.admitUntilText}`,
    );
  }
  for (const entry of events.entriesWithoutInspection)
    add(drafts, entry, 0, "entry_without_inspection", "Entered without inspection");
  for (const benefit of events.benefits) {
    add(
      drafts,
      benefit,
      10 + BENEFIT_EVENTS.indexOf(benefit.event),
      `benefit_${benefit.event}`,
      `${benefit.formType} ${benefit.receiptNumber} ${benefit.event}`,
    );
  }
  for (const court of events.court) {
    const details = [
      court.outcome,
      court.inAbsentia ? "in absentia" : null,
      court.appealWaived ? "appeal waived" : null,
      court.certified ? "certified" : null,
      court.reliefType ? `relief ${court.reliefType}` : null,
      court.deadlineDay === null ? null : `deadline ${formatDayNumber(court.deadlineDay)}`,
    ].filter((detail) => detail !== null);
    add(
      drafts,
      court,
      20 + COURT_EVENTS.indexOf(court.eventType),
      `court_${court.eventType}`,
      `${COURT_WORDS[court.eventType]} (case ${court.caseId})${details.length > 0 ? `: ${details.join(", ")}` : ""}`,
    );
  }
  for (const custody of events.custody) {
    add(
      drafts,
      custody,
      40,
      `custody_${custody.event}`,
      `Custody ${custody.event.replace("_", " ")}${custody.reason ? ` (${custody.reason})` : ""}`,
    );
  }
  for (const document of events.travelDocuments) {
    add(
      drafts,
      document,
      50,
      `travel_document_${document.status}`,
      `Travel document ${document.travelDocumentId} ${document.status} (${document.country})`,
    );
  }
  for (const departure of events.departures)
    add(drafts, departure, 60, "departure", `Departed (${departure.evidence})`);
  for (const citizenship of events.citizenship)
    add(drafts, citizenship, 70, "citizenship", `U.S. citizenship (${citizenship.basis})`);
  if (finality !== null) {
    drafts.push({
      day: finality.day,
      order: 35,
      key: "",
      entry: {
        date: formatDayNumber(finality.day),
        event: "order_final",
        description: `Removal order final: ${FINALITY_RULES[finality.rule].description} (${FINALITY_RULES[finality.rule].basis})`,
        evidence: citationsOf(...finality.evidence),
      },
    });
  }
  drafts.sort(
    (left, right) =>
      left.day - right.day ||
      left.order - right.order ||
      (left.key < right.key ? -1 : left.key > right.key ? 1 : 0),
  );
  return drafts.map((draft) => draft.entry);
}
