import { ApiError } from "../../api/api-error.ts";
import type { InclusionProof } from "../../api/audit-api.ts";
import { Alert, countOf, ErrorAlert } from "../../design/index.ts";

/** The code the proof route answers (422) when the entry was altered or the proof misses the signed root. */
const TAMPERED = "PASSAGE_ERR_AUDIT_TAMPERED";

/** The answer to "prove entry N": the proof against its signed checkpoint, or why there is none. */
export function InclusionProofResult({
  index,
  proof,
  error,
}: {
  index: number;
  proof?: InclusionProof | undefined;
  error?: unknown;
}) {
  if (error instanceof ApiError && error.code === TAMPERED) {
    // Tampering is a finding about the log, not a failed request: say so, with the server's reason.
    return (
      <Alert tone="error" title={`Entry ${index} cannot be proven: the audit log was tampered with`}>
        <p>{error.message}</p>
        <p>Verify the audit log to find the first bad entry against the signed checkpoints.</p>
      </Alert>
    );
  }
  if (error) return <ErrorAlert error={error} />;
  if (!proof) return null;
  return (
    <Alert tone="success" title={`Entry ${proof.index} is in the signed log`}>
      Its inclusion proof ({countOf(proof.proof.length, "hash", "hashes")}) reaches the tree head{" "}
      <code>{proof.rootHash}</code> of the checkpoint signed at {proof.checkpoint.timestamp} over the first{" "}
      {countOf(proof.treeSize, "entry", "entries")}. Leaf hash <code>{proof.leafHash}</code>.
    </Alert>
  );
}
