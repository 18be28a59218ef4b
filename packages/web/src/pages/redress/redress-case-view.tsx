import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import {
  fetchRedressCase,
  type Resolution,
  resolveRedress,
  startRedressReview,
} from "../../api/redress-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import {
  Badge,
  Button,
  ErrorAlert,
  Loading,
  SelectField,
  TextAreaField,
  TextField,
  useAsync,
} from "../../design/index.ts";
import { decidedByAnotherSteward } from "./own-request.ts";
import { type CorrectionDraft, resolutionOf } from "./redress-form-checks.ts";
import { correctionNote, partlyDecidedNote, supersededNote } from "./redress-history.ts";

const OUTCOMES = [
  { value: "granted", label: "Granted" },
  { value: "denied", label: "Denied" },
  { value: "withdrawn", label: "Withdrawn" },
];

/** One request: what was asked, every step taken, and (for a data steward) review and resolution. */
export function RedressCaseView({ requestId, onChanged }: { requestId: string; onChanged: () => void }) {
  const session = useSession();
  const [generation, setGeneration] = useState(0);
  const redress = useAsync(
    (signal) => fetchRedressCase(requestId, session.purpose, signal),
    [requestId, session.purpose, generation],
  );
  const [outcome, setOutcome] = useState<Resolution["outcome"]>("granted");
  const [reason, setReason] = useState("");
  const [effectiveDate, setEffectiveDate] = useState("");
  const [corrections, setCorrections] = useState<CorrectionDraft[]>([]);
  const [unlinks, setUnlinks] = useState<string | undefined>(undefined);
  const [cannotLink, setCannotLink] = useState("");
  const [error, setError] = useState<unknown>(undefined);

  async function act(work: () => Promise<unknown>) {
    setError(undefined);
    try {
      await work();
      setGeneration((value) => value + 1);
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  }

  function onResolve(event: FormEvent) {
    event.preventDefault();
    const request = redress.data?.request;
    if (!request) return;
    const { resolution, problems } = resolutionOf({
      kind: request.kind,
      outcome,
      reason,
      effectiveDate,
      corrections,
      unlinks: unlinks ?? request.disputedRecords.join("\n"),
      cannotLink,
    });
    if (!resolution) {
      setError(new Error(problems.join(" ")));
      return;
    }
    void act(() => resolveRedress(requestId, resolution, session.purpose));
  }

  if (redress.loading && !redress.data) return <Loading what="the request" />;
  if (!redress.data) return <ErrorAlert error={redress.error} />;
  const { request, events, daysToResolution } = redress.data;
  const ownRequest = decidedByAnotherSteward(session.user, request.filedBy);
  const mayDecide = session.may("redress.decide") && !ownRequest;
  return (
    <section
      className="card stack"
      aria-label={`Redress request ${request.requestId}`}
      data-testid="redress-case"
    >
      <h2>Request {request.requestId}</h2>
      <p>
        <Badge tone={request.status === "resolved" ? "success" : "warning"}>
          {request.status.replace("_", " ")}
        </Badge>{" "}
        {request.outcome ? <Badge tone="info">{request.outcome}</Badge> : null}{" "}
        {request.kind.replaceAll("_", " ")} for{" "}
        <Link to={`/persons/${encodeURIComponent(request.personId)}`} className="mono">
          {request.personId}
        </Link>
        {daysToResolution !== null
          ? ` · resolved in ${daysToResolution} day${daysToResolution === 1 ? "" : "s"}`
          : ""}
      </p>
      <blockquote>{request.statement}</blockquote>
      <dl className="facts" data-testid="redress-claim">
        {request.departureDate ? (
          <>
            <dt>Departed on</dt>
            <dd>{request.departureDate}</dd>
          </>
        ) : null}
        {request.disputedRecords.length > 0 ? (
          <>
            <dt>Records disputed (not the person’s)</dt>
            <dd>
              <ul className="plain-list">
                {request.disputedRecords.map((record) => (
                  <li key={record} className="mono">
                    {record}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {request.documents.length > 0 ? (
          <>
            <dt>Documents cited</dt>
            <dd>
              {request.documents
                .map((document) => `${document.type} ${document.number} (${document.issuer})`)
                .join("; ")}
            </dd>
          </>
        ) : null}
        {request.status === "resolved" ? (
          <>
            <dt>What the resolution did</dt>
            <dd data-testid="redress-corrections">
              {(request.corrections ?? []).length > 0 ? (
                <ul className="plain-list">
                  {(request.corrections ?? []).map((correction) => (
                    <li key={`${correction.record} ${correction.outcome}`}>{correctionNote(correction)}</li>
                  ))}
                </ul>
              ) : (
                "Nothing was corrected or unlinked."
              )}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>History</h3>
      <ol className="timeline">
        {events.map((event) => (
          <li key={event.sequence}>
            <strong>{event.step.replace("_", " ")}</strong> · {event.at.slice(0, 19).replace("T", " ")} by{" "}
            {event.actor}
            {typeof event.details.reason === "string" ? <div>“{event.details.reason}”</div> : null}
            {event.step === "source_superseded" ? <div>{supersededNote(event.details)}</div> : null}
            {event.step === "links_partly_decided" ? <div>{partlyDecidedNote(event.details)}</div> : null}
          </li>
        ))}
      </ol>
      <ErrorAlert error={error} />
      {ownRequest && (request.status === "filed" || request.status === "under_review") ? (
        <p data-testid="decided-by-another">
          Another steward decides this request: you filed it, and a steward without both confidentiality needs
          (asylum, 1367) decides none they filed.
        </p>
      ) : null}
      {mayDecide && request.status === "filed" ? (
        <div>
          <Button onClick={() => act(() => startRedressReview(requestId, session.purpose))}>
            Take into review
          </Button>
        </div>
      ) : null}
      {mayDecide && request.status === "under_review" ? (
        <form className="stack" onSubmit={onResolve} aria-label="Resolve the request">
          <h3>Resolve</h3>
          <SelectField
            label="Outcome"
            options={OUTCOMES}
            value={outcome}
            onChange={(event) => setOutcome(event.target.value as Resolution["outcome"])}
          />
          {request.kind === "citizenship" && outcome === "granted" ? (
            <TextField
              label="Citizenship effective date"
              type="date"
              required
              value={effectiveDate}
              onChange={(event) => setEffectiveDate(event.target.value)}
            />
          ) : null}
          {outcome === "granted" ? (
            <fieldset className="stack" style={{ border: "1px solid var(--color-border)", borderRadius: 6 }}>
              <legend>What the grant corrects{request.kind === "citizenship" ? " (optional)" : ""}</legend>
              {corrections.map((correction, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: drafts have no identity but their place
                <div className="row" key={index}>
                  <TextField
                    label={`Correction record ${index + 1}: feed`}
                    hint="e.g. court, visa, i94"
                    value={correction.feed}
                    onChange={(event) =>
                      setCorrections(
                        corrections.map((one, at) =>
                          at === index ? { ...one, feed: event.target.value } : one,
                        ),
                      )
                    }
                  />
                  <TextAreaField
                    label={`Correction record ${index + 1}: row (JSON)`}
                    hint={
                      'The feed’s fields with the record’s key, e.g. {"event_id": "CE-1", "outcome": "terminated"}'
                    }
                    value={correction.row}
                    onChange={(event) =>
                      setCorrections(
                        corrections.map((one, at) =>
                          at === index ? { ...one, row: event.target.value } : one,
                        ),
                      )
                    }
                  />
                  <Button onClick={() => setCorrections(corrections.filter((_, at) => at !== index))}>
                    Remove correction {index + 1}
                  </Button>
                </div>
              ))}
              <div>
                <Button onClick={() => setCorrections([...corrections, { feed: "", row: "" }])}>
                  Add a correction record
                </Button>
              </div>
              <TextAreaField
                label="Records to unlink from the person"
                hint="One FEED:KEY a line, e.g. visa:V123 (the records disputed in the request are filled in)"
                value={unlinks ?? request.disputedRecords.join("\n")}
                onChange={(event) => setUnlinks(event.target.value)}
              />
              <TextAreaField
                label="Records never to link"
                hint="One pair a line: FEED:KEY FEED:KEY"
                value={cannotLink}
                onChange={(event) => setCannotLink(event.target.value)}
              />
            </fieldset>
          ) : null}
          <TextAreaField
            label="Reason"
            required
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <div>
            <Button type="submit" variant="primary">
              Resolve request
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
