import { api } from "./api-client.ts";

/** A person found by search, with the record that matched and why. */
export interface PersonSearchResult {
  readonly personId: string;
  readonly record: string;
  readonly matchedOn: string;
  readonly score: number;
  /** The match reason in words. */
  readonly reason: string;
  readonly values: Readonly<Record<string, string>>;
  readonly hiddenFieldGroups: readonly string[];
}

/** A record as link views show it: its compared values (groups the reader may not see removed). */
export interface LinkedRecord {
  readonly record: string;
  readonly personId: string | null;
  readonly values: Readonly<Record<string, string>>;
  readonly hiddenFieldGroups: readonly string[];
}

export interface PersonLink {
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly weight: number | null;
  readonly probability: number;
  readonly kind: "auto_link" | "must_link";
}

/** `GET /persons/{id}/links`: why a person is the records it is. */
export interface PersonLinks {
  readonly personId: string;
  readonly records: readonly LinkedRecord[];
  readonly links: readonly PersonLink[];
  /**
   * Where the person would break first: the automatic link with the lowest weight, or a must-link
   * when only human decisions hold the person together.
   */
  readonly weakestLink: PersonLink | null;
  readonly supportingLinks: number;
  readonly decisions: readonly Record<string, unknown>[];
  readonly identityIssues: readonly Record<string, unknown>[];
  readonly openReviews: readonly {
    reviewId: string;
    record: string;
    otherRecord: string;
    reason: string;
    matchProbability: number;
  }[];
  /** Decisions, open reviews and identity issues naming a record of a person whose links the reader may not read: counted, not shown. */
  readonly decisionsWithheld: number;
  readonly openReviewsWithheld: number;
  readonly identityIssuesWithheld: number;
}

/** One bar of the weight waterfall: a compared field's weight (log2 m/u) and term-frequency adjustment. */
export interface FieldContribution {
  readonly comparison: string;
  readonly label: string;
  readonly description: string;
  readonly weight: number;
  readonly termFrequencyAdjustment: number;
  readonly cumulativeWeight: number;
}

export interface PairExplanation {
  readonly priorWeight: number;
  readonly fields: readonly FieldContribution[];
  readonly fullNameAdjustment: number;
  readonly namesakeAdjustment: number;
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly band: string;
  readonly reviewReason?: string;
}

/** `GET /links/explanation`: any pair of records explained field by field by the active model. */
export interface PairExplanationView {
  readonly left: LinkedRecord;
  readonly right: LinkedRecord;
  readonly modelVersion: number;
  readonly explanation: PairExplanation;
}

/** An uncertain pair waiting for a person to decide. */
export interface ReviewItem {
  readonly reviewId: string;
  readonly leftRecord: string;
  readonly rightRecord: string;
  readonly leftPersonId: string | null;
  readonly rightPersonId: string | null;
  readonly reason: string;
  readonly conflictingIdentifiers: readonly string[];
  readonly matchWeight: number;
  readonly matchProbability: number;
  readonly status: string;
  readonly outcome: string | null;
  readonly left?: LinkedRecord;
  readonly right?: LinkedRecord;
  readonly fields?: readonly {
    comparison: string;
    label: string;
    weight: number;
    termFrequencyAdjustment: number;
  }[];
  /** Why a pair below the review band is in review (e.g. a strong identifier both records hold); else null. */
  readonly heldInReview?: string | null;
}

export type ReviewOutcome = "accept" | "reject" | "unsure";

export async function searchPersons(
  text: string,
  purpose: string,
  signal?: AbortSignal,
): Promise<PersonSearchResult[]> {
  const answer = await api.get<{ persons: PersonSearchResult[] }>("/persons", {
    purpose,
    query: { q: text, limit: 50 },
    ...(signal ? { signal } : {}),
  });
  return answer.persons;
}

export function fetchPersonLinks(personId: string, purpose: string, signal?: AbortSignal) {
  return api.get<PersonLinks>(`/persons/${encodeURIComponent(personId)}/links`, {
    purpose,
    ...(signal ? { signal } : {}),
  });
}

export function explainPair(left: string, right: string, purpose: string, signal?: AbortSignal) {
  return api.get<PairExplanationView>("/links/explanation", {
    purpose,
    query: { left, right },
    ...(signal ? { signal } : {}),
  });
}

/** Review items asked for per request (the server's largest page). */
export const REVIEW_PAGE_SIZE = 1000;
/** Pages read at most: the queue shown is then marked as cut short rather than read without end. */
const MAX_REVIEW_PAGES = 20;

/** The open review queue (open and unsure pairs), every page of it, and whether it was cut short. */
export interface ReviewQueue {
  readonly items: readonly ReviewItem[];
  /** True when more pairs wait than were read (MAX_REVIEW_PAGES pages). */
  readonly more: boolean;
}

/**
 * Every open pair of the review queue, page after page: the server answers at most a page per call
 * and no total, so one call of 200 showed "Pair 1 of 200" with 266 open and the rest unreachable.
 */
export async function fetchReviews(purpose: string, signal?: AbortSignal): Promise<ReviewQueue> {
  const items: ReviewItem[] = [];
  for (let page = 0; page < MAX_REVIEW_PAGES; page++) {
    const answer = await api.get<{ reviews: ReviewItem[] }>("/reviews", {
      purpose,
      query: { status: "open", limit: REVIEW_PAGE_SIZE, offset: page * REVIEW_PAGE_SIZE },
      ...(signal ? { signal } : {}),
    });
    items.push(...answer.reviews);
    if (answer.reviews.length < REVIEW_PAGE_SIZE) return { items, more: false };
  }
  return { items, more: true };
}

export function fetchReview(reviewId: string, purpose: string, signal?: AbortSignal) {
  return api.get<ReviewItem>(`/reviews/${encodeURIComponent(reviewId)}`, {
    purpose,
    ...(signal ? { signal } : {}),
  });
}

export function decideReview(reviewId: string, outcome: ReviewOutcome, reason: string, purpose: string) {
  return api.post<Record<string, unknown>>(`/reviews/${encodeURIComponent(reviewId)}/decision`, {
    purpose,
    body: { outcome, reason },
  });
}
