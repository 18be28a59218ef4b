import { type DayNumber, isoDate } from "../calendar/day-number.ts";
import { isBusinessDay } from "../calendar/federal-holidays.ts";
import type { SourceRow } from "../records/record-draft.ts";
import type { ScenarioKit } from "./scenario-kit.ts";

/** Optional fields of a court decision. */
export interface DecisionOptions {
  readonly inAbsentia?: boolean;
  readonly noticeServed?: "Y" | "N" | "U";
  readonly appealWaived?: boolean;
  readonly destination?: string | null;
  readonly deadline?: DayNumber;
  readonly reliefType?: string;
  readonly withholdingCountry?: string;
}

/**
 * One immigration court case (EOIR) of a person: every event is a court row with the case id
 * and the person's A-number. Relief sought or granted for asylum or withholding makes the case
 * confidential (8 CFR 208.6); stays set or lift the STAY overlay.
 */
export class CourtCase {
  constructor(
    private readonly kit: ScenarioKit,
    readonly caseId: string,
    private readonly caseType: string,
  ) {}

  event(eventType: string, day: DayNumber, extra: SourceRow = {}): void {
    const key = this.kit.key("courtEvent");
    this.kit.emit("court", key, day, {
      court_event_id: key,
      case_id: this.caseId,
      case_type: this.caseType,
      event_type: eventType,
      event_date: isoDate(day),
      ...extra,
    });
    this.kit.openAFile(day);
    const relief = extra.relief_type;
    // Fear-based claims are confidential (8 CFR 208.6, 1208.6): asylum, withholding and CAT.
    if (relief === "asylum" || relief === "withholding" || relief === "cat")
      this.kit.truth.overlays.add("CONFIDENTIAL_ASYLUM");
  }

  /** The Notice to Appear filed with the court (jurisdiction vests at filing). */
  nta(day: DayNumber): void {
    let filed = day;
    while (!isBusinessDay(filed)) filed -= 1;
    this.event("nta_filed", filed);
  }

  /** Master-calendar and merits hearings between two days, with the relief sought if any. */
  hearings(from: DayNumber, to: DayNumber, count: number, reliefSought?: string): void {
    const random = this.kit.random;
    const days: DayNumber[] = [];
    for (let hearing = 0; hearing < count; hearing++) {
      // Drawn in order, then sorted by insertion (a few at most): no closures, same days.
      const day = this.kit.businessDayBetween(from, to);
      let at = days.length;
      while (at > 0 && days[at - 1]! > day) at--;
      days.splice(at, 0, day);
    }
    for (const day of days) {
      const extra: SourceRow = {};
      if (reliefSought !== undefined && random.chance(0.7)) extra.relief_type = reliefSought;
      if (random.chance(0.6)) extra.notice_served = "Y";
      this.event("hearing", day, extra);
    }
  }

  /** An IJ decision. In absentia and appeal-waiver flags are written when set, and as N by some courts. */
  decision(day: DayNumber, outcome: string, options: DecisionOptions = {}): void {
    const random = this.kit.random;
    const extra: SourceRow = { outcome };
    if (options.inAbsentia) extra.in_absentia = "Y";
    else if (random.chance(0.6)) extra.in_absentia = "N";
    if (options.appealWaived) extra.appeal_waived = "Y";
    else if (random.chance(0.4)) extra.appeal_waived = "N";
    if (options.noticeServed !== undefined) extra.notice_served = options.noticeServed;
    if (options.deadline !== undefined) extra.deadline = isoDate(options.deadline);
    if (options.destination) extra.destination_country = options.destination;
    if (options.reliefType !== undefined) extra.relief_type = options.reliefType;
    if (options.withholdingCountry !== undefined) extra.withholding_country = options.withholdingCountry;
    this.event("decision", day, extra);
    if (outcome === "relief_granted" && options.reliefType === "cancellation")
      this.kit.cancellationGranted = true;
  }

  appeal(day: DayNumber, certified = false): void {
    this.event(
      "appeal_filed",
      day,
      certified ? { certified: "Y" } : this.kit.random.chance(0.3) ? { certified: "N" } : {},
    );
  }

  appealDecided(day: DayNumber, outcome: string, certified = false): void {
    this.event("appeal_decided", day, { outcome, ...(certified ? { certified: "Y" } : {}) });
  }

  motion(day: DayNumber): void {
    this.event("motion_filed", day);
  }

  motionDecided(day: DayNumber, outcome: "granted" | "denied"): void {
    this.event("motion_decided", day, { outcome });
  }

  /** A stay of removal by the court; in effect at the reference date unless its deadline has passed. */
  stay(day: DayNumber, deadline?: DayNumber): void {
    this.event("stay_granted", day, deadline === undefined ? {} : { deadline: isoDate(deadline) });
    this.kit.truth.stayInEffect = deadline === undefined || deadline >= this.kit.asOf;
  }

  stayLifted(day: DayNumber): void {
    this.event("stay_lifted", day);
    this.kit.truth.stayInEffect = false;
  }
}
