import { type KeyboardEvent as ReactKeyboardEvent, useCallback, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/api-error.ts";
import { decideReview, fetchReview, fetchReviews, type ReviewOutcome } from "../../api/linkage-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import {
  Alert,
  Badge,
  Button,
  ErrorAlert,
  Loading,
  PageHeader,
  TextAreaField,
  useAsync,
} from "../../design/index.ts";
import { FieldWeights, PairComparison } from "./pair-comparison.tsx";

const SHORTCUTS: Record<string, ReviewOutcome> = { a: "accept", r: "reject", u: "unsure" };
const OUTCOME_WORDS: Record<ReviewOutcome, string> = {
  accept: "accepted: one person",
  reject: "rejected: not the same person (cannot-link)",
  unsure: "marked unsure: escalated",
};

/**
 * The codes with which the server refuses a decision on a pair that is no longer open: decided (or
 * removed) since the queue was read, by another reviewer or in another tab.
 */
const NO_LONGER_OPEN = new Set(["PASSAGE_ERR_LINK_REVIEW_CLOSED", "PASSAGE_ERR_LINK_REVIEW_NOT_FOUND"]);

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT")
  );
}

/**
 * The link review queue: one uncertain pair at a time, side by side with differences marked and
 * the field weights, decided with a reason. Keys: A accept, R reject, U unsure, J/K next/previous.
 */
export function ReviewQueuePage() {
  const session = useSession();
  const { purpose } = session;
  const [generation, setGeneration] = useState(0);
  const queue = useAsync(
    (signal) => (purpose ? fetchReviews(purpose, signal) : Promise.resolve({ items: [], more: false })),
    [purpose, generation],
  );
  const [position, setPosition] = useState(0);
  const items = queue.data?.items ?? [];
  const current = items[Math.min(position, Math.max(0, items.length - 1))];
  const detail = useAsync(
    (signal) => (current ? fetchReview(current.reviewId, purpose, signal) : Promise.resolve(undefined)),
    [current?.reviewId, purpose],
  );
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [decided, setDecided] = useState<string | undefined>(undefined);
  const [decidedMeanwhile, setDecidedMeanwhile] = useState<string | undefined>(undefined);
  const reasonField = useRef<HTMLDivElement>(null);

  const decide = useCallback(
    async (outcome: ReviewOutcome) => {
      if (!current) return;
      if (!reason.trim()) {
        setReasonError("Give the reason for the decision; it is kept with it.");
        reasonField.current?.querySelector("textarea")?.focus();
        return;
      }
      setReasonError(undefined);
      setError(undefined);
      // The banner of the previous decision goes: it is not the answer to this one.
      setDecided(undefined);
      setDecidedMeanwhile(undefined);
      try {
        await decideReview(current.reviewId, outcome, reason.trim(), purpose);
        setDecided(`Pair ${current.leftRecord} ↔ ${current.rightRecord} ${OUTCOME_WORDS[outcome]}.`);
        setReason("");
        // An unsure pair stays in the queue (escalated): move on to the next one rather than show it again.
        if (outcome === "unsure") setPosition((value) => value + 1);
        setGeneration((value) => value + 1);
      } catch (failure) {
        if (failure instanceof ApiError && NO_LONGER_OPEN.has(failure.code)) {
          // Decided meanwhile: nothing of this decision was recorded. Read the queue again, which
          // no longer holds the pair, so the next open pair takes its place; the reason typed was
          // about that pair, so it goes too.
          setDecidedMeanwhile(
            `Pair ${current.leftRecord} ↔ ${current.rightRecord} was decided meanwhile (by another reviewer or in another tab); your decision was not recorded. The queue now shows the next open pair.`,
          );
          setReason("");
          setGeneration((value) => value + 1);
        } else {
          setError(failure);
        }
      }
    },
    [current, reason, purpose],
  );

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      const outcome = SHORTCUTS[key];
      if (outcome && session.may("link.decide")) {
        event.preventDefault();
        void decide(outcome);
      } else if (key === "j") setPosition((value) => Math.min(value + 1, Math.max(0, items.length - 1)));
      else if (key === "k") setPosition((value) => Math.max(value - 1, 0));
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [decide, items.length, session]);

  function onReasonKey(event: ReactKeyboardEvent<HTMLDivElement>) {
    // Ctrl+Enter in the reason field accepts, as the most common decision; the others need their key.
    if (event.key === "Enter" && event.ctrlKey) void decide("accept");
  }

  if (!purpose) {
    return (
      <>
        <PageHeader title="Link review" />
        <PurposeRequired />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Link review">
        <p>
          Pairs of records the model could not decide on. Keys: <kbd>A</kbd> accept, <kbd>R</kbd> reject,{" "}
          <kbd>U</kbd> unsure, <kbd>J</kbd>/<kbd>K</kbd> next/previous pair (outside the reason field).
        </p>
      </PageHeader>
      {decided ? <Alert tone="success">{decided}</Alert> : null}
      {decidedMeanwhile ? <Alert tone="warning">{decidedMeanwhile}</Alert> : null}
      <ErrorAlert error={error ?? queue.error} />
      {queue.loading ? <Loading what="the review queue" /> : null}
      {queue.data && items.length === 0 ? <Alert tone="info">No pair waits for review.</Alert> : null}
      {current ? (
        <section className="stack" aria-label="Pair under review" data-testid="review-item">
          <p role="status">
            Pair {Math.min(position, items.length - 1) + 1} of {items.length}
            {queue.data?.more ? "+ (more wait than are shown)" : ""}:{" "}
            {current.status === "unsure" ? (
              <>
                <Badge tone="info">marked unsure earlier: escalated</Badge>{" "}
              </>
            ) : null}
            <Badge tone="warning">{current.reason.replaceAll("_", " ")}</Badge> match probability{" "}
            {(current.matchProbability * 100).toFixed(1)}%, weight {current.matchWeight.toFixed(2)} bits
            {current.conflictingIdentifiers.length > 0
              ? ` · conflicting: ${current.conflictingIdentifiers.join(", ")}`
              : ""}
          </p>
          {current.heldInReview ? <p data-testid="held-in-review">{current.heldInReview}</p> : null}
          <p>
            Persons now:{" "}
            {[current.leftPersonId, current.rightPersonId].map((personId, index) =>
              personId ? (
                <span key={`${personId}-${index === 0 ? "left" : "right"}`}>
                  <Link to={`/persons/${encodeURIComponent(personId)}`} className="mono">
                    {personId}
                  </Link>{" "}
                </span>
              ) : null,
            )}
          </p>
          {detail.loading ? <Loading what="the pair" /> : null}
          <ErrorAlert error={detail.error} />
          {detail.data?.left && detail.data.right ? (
            <PairComparison left={detail.data.left} right={detail.data.right} fields={detail.data.fields} />
          ) : null}
          {detail.data?.fields ? <FieldWeights fields={detail.data.fields} /> : null}
          {session.may("link.decide") ? (
            <div className="card stack">
              {/* biome-ignore lint/a11y/noStaticElementInteractions: Ctrl+Enter inside the reason field */}
              <div ref={reasonField} onKeyDown={onReasonKey}>
                <TextAreaField
                  label="Reason for the decision"
                  aria-required="true"
                  value={reason}
                  error={reasonError}
                  onChange={(event) => setReason(event.target.value)}
                />
              </div>
              <div className="row">
                <Button variant="primary" shortcut="A" onClick={() => void decide("accept")}>
                  Accept: same person
                </Button>
                <Button variant="danger" shortcut="R" onClick={() => void decide("reject")}>
                  Reject: different persons
                </Button>
                <Button shortcut="U" onClick={() => void decide("unsure")}>
                  Unsure: escalate
                </Button>
              </div>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
