import { type FormEvent, useState } from "react";
import { overrideWorklistTier, type WorklistExplanation } from "../../api/worklist-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Alert, Button, ErrorAlert, TextAreaField, TextField } from "../../design/index.ts";

/** A supervisor's override of the policy's tier: a new tier and a reason, both required; audited. */
export function OverrideForm({ explained, onDone }: { explained: WorklistExplanation; onDone: () => void }) {
  const { purpose } = useSession();
  const [tier, setTier] = useState(String(explained.entry.effectiveTier));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(undefined);
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!reason.trim())
      return setReasonError("Give the reason for the override; it is recorded in the audit log.");
    setReasonError(undefined);
    setError(undefined);
    try {
      await overrideWorklistTier(
        explained.entry.personId,
        {
          tier: Number(tier),
          reason: reason.trim(),
          expected: { policyDigest: explained.entry.policyDigest, tier: explained.entry.effectiveTier },
        },
        purpose,
      );
      setDone(true);
      onDone();
    } catch (failure) {
      setError(failure);
    }
  }

  if (done) return <Alert tone="success">Override recorded.</Alert>;
  return (
    <form className="stack" onSubmit={onSubmit} aria-label="Supervisor override">
      <h3>Override the tier</h3>
      <p className="field-hint">
        Overrides change the policy's ranking only; a due-process gate can never be overridden.
      </p>
      <TextField
        label="New tier"
        type="number"
        min={1}
        max={1000}
        required
        value={tier}
        onChange={(event) => setTier(event.target.value)}
      />
      <TextAreaField
        label="Reason"
        aria-required="true"
        value={reason}
        error={reasonError}
        onChange={(event) => setReason(event.target.value)}
      />
      <ErrorAlert error={error} />
      <div>
        <Button type="submit" variant="primary">
          Record override
        </Button>
      </div>
    </form>
  );
}
