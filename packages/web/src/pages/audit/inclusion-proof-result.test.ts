import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { apiErrorFrom } from "../../api/api-error.ts";
import { InclusionProofResult } from "./inclusion-proof-result.tsx";

describe("InclusionProofResult", () => {
  it("shows the proof route's tampered refusal (422) as tampering, with the server's reason", () => {
    // The answer of GET /audit/entries/5/proof for an altered entry (audit-routes.int.test.ts).
    const error = apiErrorFrom(422, {
      error: {
        code: "PASSAGE_ERR_AUDIT_TAMPERED",
        message:
          "audit log verification failed: entry 5 is not the canonical audit entry it was written as (altered): not canonical JSON",
      },
    });
    const html = renderToStaticMarkup(createElement(InclusionProofResult, { index: 5, error }));
    expect(html).toContain('role="alert"');
    expect(html).toContain("Entry 5 cannot be proven: the audit log was tampered with");
    expect(html).toContain(
      "Audit log verification failed: entry 5 is not the canonical audit entry it was written as (altered)",
    );
    expect(html).not.toContain("PASSAGE_ERR_AUDIT_TAMPERED");
  });

  it("shows another refusal as it is, and a proof that reaches the signed root", () => {
    const missing = apiErrorFrom(404, {
      error: {
        code: "PASSAGE_ERR_AUDIT_NO_CHECKPOINT",
        message: 'no signed checkpoint covers entry 30 yet; write one with "passage audit checkpoint"',
      },
    });
    const refused = renderToStaticMarkup(createElement(InclusionProofResult, { index: 30, error: missing }));
    expect(refused).toContain("No signed checkpoint covers entry 30 yet");
    expect(refused).not.toContain("tampered");

    const proven = renderToStaticMarkup(
      createElement(InclusionProofResult, {
        index: 6,
        proof: {
          index: 6,
          entry: {} as never,
          leafHash: "d".repeat(64),
          treeSize: 12,
          rootHash: "e".repeat(64),
          proof: ["1".repeat(64), "2".repeat(64), "3".repeat(64), "4".repeat(64)],
          checkpoint: { treeSize: 12, rootHash: "e".repeat(64), timestamp: "2026-11-24T10:50:40Z" },
          verified: true,
        },
      }),
    );
    expect(proven).toContain("Entry 6 is in the signed log");
    expect(proven).toContain("4 hashes");
    expect(proven).toContain("first 12 entries");
  });
});
