import { type FormEvent, useState } from "react";
import { fileRedress, REDRESS_KINDS, type RedressKind } from "../../api/redress-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Alert, Button, ErrorAlert, SelectField, TextAreaField, TextField } from "../../design/index.ts";
import { documentReferenceOf } from "./redress-form-checks.ts";

/** The disputed records typed one a line (or separated by commas), blanks left out. */
function disputedRecordsOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The id of the request a filing created, whichever shape the answer took. */
function filedRequestId(answer: unknown): string {
  const value = answer as { request?: { requestId?: unknown }; requestId?: unknown } | undefined;
  const id = value?.request?.requestId ?? value?.requestId;
  return typeof id === "string" ? id : "";
}

/** Files a redress request: who, what is wrong, and references to documents (type, number, issuer) — never scans. */
export function FileRedressForm({
  onFiled,
  personId: initialPerson = "",
}: {
  onFiled: () => void;
  personId?: string;
}) {
  const { purpose } = useSession();
  const [personId, setPersonId] = useState(initialPerson);
  const [kind, setKind] = useState<RedressKind>("citizenship");
  const [statement, setStatement] = useState("");
  const [departureDate, setDepartureDate] = useState("");
  const [disputed, setDisputed] = useState("");
  const [document, setDocument] = useState({ type: "", number: "", issuer: "" });
  const [error, setError] = useState<unknown>(undefined);
  /** The id of the last request filed here, until the next attempt (success or not). */
  const [filed, setFiled] = useState<string | undefined>(undefined);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setFiled(undefined);
    const { reference, problem } = documentReferenceOf(document);
    if (problem) {
      setError(new Error(problem));
      return;
    }
    try {
      const answer = await fileRedress(
        {
          personId: personId.trim(),
          kind,
          statement: statement.trim(),
          ...(kind === "departed" && departureDate ? { departureDate } : {}),
          ...(kind === "not_my_record" ? { disputedRecords: disputedRecordsOf(disputed) } : {}),
          documents: reference ? [reference] : [],
        },
        purpose,
      );
      const requestId = filedRequestId(answer);
      setFiled(requestId ? `Request ${requestId} filed.` : "Request filed.");
      setStatement("");
      setDisputed("");
      setDocument({ type: "", number: "", issuer: "" });
      onFiled();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="file-title">
      <h2 id="file-title">File a redress request</h2>
      {filed ? <Alert tone="success">{filed}</Alert> : null}
      <TextField
        label="Person ID"
        required
        value={personId}
        onChange={(event) => setPersonId(event.target.value)}
      />
      <SelectField
        label="What is wrong"
        options={REDRESS_KINDS}
        value={kind}
        onChange={(event) => setKind(event.target.value as RedressKind)}
      />
      <TextAreaField
        label="Statement"
        required
        value={statement}
        onChange={(event) => setStatement(event.target.value)}
      />
      {kind === "not_my_record" ? (
        <TextAreaField
          label="Records that are not the person's"
          hint="One FEED:KEY a line, e.g. court:CE-905-2"
          required
          value={disputed}
          onChange={(event) => setDisputed(event.target.value)}
        />
      ) : null}
      {kind === "departed" ? (
        <TextField
          label="Departure date"
          type="date"
          value={departureDate}
          onChange={(event) => setDepartureDate(event.target.value)}
        />
      ) : null}
      <fieldset className="row" style={{ border: "1px solid var(--color-border)", borderRadius: 6 }}>
        <legend>Supporting document (a reference only; no scans are taken)</legend>
        <TextField
          label="Document type"
          hint="e.g. U.S. passport"
          value={document.type}
          onChange={(event) => setDocument({ ...document, type: event.target.value })}
        />
        <TextField
          label="Document number"
          value={document.number}
          onChange={(event) => setDocument({ ...document, number: event.target.value })}
        />
        <TextField
          label="Issued by"
          value={document.issuer}
          onChange={(event) => setDocument({ ...document, issuer: event.target.value })}
        />
      </fieldset>
      <ErrorAlert error={error} />
      <div>
        <Button type="submit" variant="primary">
          File request
        </Button>
      </div>
    </form>
  );
}
