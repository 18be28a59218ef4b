import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { fetchRecord } from "../../api/case-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import { Button, ErrorAlert, PageHeader, TextField } from "../../design/index.ts";
import { typedPersonId } from "./person-reference.ts";

/**
 * Opens a case by person ID, or by one of its records (FEED:KEY, e.g. `visa:V0012`). (Search by
 * name and document number needs the search API, which has not landed.)
 */
export function OpenCasePage() {
  const session = useSession();
  const navigate = useNavigate();
  const [reference, setReference] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const text = typedPersonId(reference);
    if (!text) return setError(new Error("Enter a person ID or a record reference."));
    if (!text.includes(":")) return navigate(`/persons/${encodeURIComponent(text)}`);
    setBusy(true);
    try {
      const record = await fetchRecord(text, session.purpose);
      if (!record.personId) throw new Error(`Record ${record.record} is not linked to a person yet.`);
      navigate(`/persons/${encodeURIComponent(record.personId)}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="Open a case" />
      {session.purpose ? (
        <form className="card stack" onSubmit={onSubmit} style={{ maxWidth: 560 }}>
          <TextField
            label="Person ID or record reference"
            hint="A person ID, or FEED:KEY of any of their records (e.g. visa:V0012)"
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          />
          <ErrorAlert error={error} />
          <div>
            <Button type="submit" variant="primary" disabled={busy}>
              Open
            </Button>
          </div>
        </form>
      ) : (
        <PurposeRequired />
      )}
    </>
  );
}
