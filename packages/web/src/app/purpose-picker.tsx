import { type FormEvent, useId, useState } from "react";
import { PURPOSE_CHOICES, purposeProblem } from "../api/purpose-of-use.ts";
import { useSession } from "../auth/session-context.tsx";
import { Button } from "../design/index.ts";

/**
 * The purpose of use stated for this tab's case-data requests (sent as a header, recorded in the
 * audit log). Shown in the top bar; changing it applies to the next request.
 */
export function PurposePicker() {
  const session = useSession();
  const id = useId();
  const [draft, setDraft] = useState(session.purpose);
  const listId = `${id}-choices`;
  const problemId = `${id}-problem`;
  const problem = purposeProblem(draft.trim());

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (problem) return;
    session.setPurpose(draft.trim());
  }

  return (
    <form
      className="row"
      onSubmit={onSubmit}
      aria-label="Purpose for this session"
      style={{ alignItems: "center" }}
    >
      <label htmlFor={id}>Purpose of use</label>
      <input
        id={id}
        list={listId}
        value={draft}
        placeholder="Why you are looking"
        onChange={(event) => setDraft(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        style={{ width: 200, maxWidth: "100%" }}
      />
      <datalist id={listId}>
        {PURPOSE_CHOICES.map((choice) => (
          <option key={choice} value={choice} />
        ))}
      </datalist>
      <Button type="submit" disabled={draft.trim() === session.purpose || Boolean(problem)}>
        Set purpose
      </Button>
      {problem ? (
        <span id={problemId} role="alert" className="field-error">
          {problem}
        </span>
      ) : null}
      {/* A long purpose is cut with an ellipsis on one line (the whole of it in the tooltip). */}
      <span
        role="status"
        className="field-hint"
        title={session.purpose || undefined}
        style={{ maxWidth: 260, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
      >
        {session.purpose ? `Stated: ${session.purpose}` : "None stated"}
      </span>
    </form>
  );
}

/** In place of case data until a purpose is stated. */
export function PurposeRequired() {
  return (
    <div className="alert alert-info" role="status">
      <strong>State a purpose of use</strong>
      <div>
        Case data is shown only for a stated purpose. Enter it in “Purpose of use” at the top of the page.
      </div>
    </div>
  );
}
