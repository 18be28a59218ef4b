import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import {
  checkPolicy,
  type DryRunResult,
  diffPolicy,
  dryRunPolicy,
  fetchPolicies,
  type PolicyActivation,
  type PolicyDiff,
  type PolicyVersion,
} from "../../api/policy-api.ts";
import { readablePolicyProblem } from "../../api/server-message.ts";
import { useSession } from "../../auth/session-context.tsx";
import {
  Alert,
  Badge,
  Button,
  countOf,
  DataTable,
  ErrorAlert,
  Loading,
  PageHeader,
  SelectField,
  TextAreaField,
  useAsync,
} from "../../design/index.ts";
import { DryRunView } from "./dry-run-view.tsx";
import { PolicyDiffView } from "./policy-diff-view.tsx";

const VERSION_COLUMNS: ColumnDef<PolicyVersion, unknown>[] = [
  { header: "Policy", accessorFn: (row) => `${row.policyId} ${row.version}` },
  {
    header: "State",
    accessorKey: "active",
    cell: (cell) => (cell.getValue() ? <Badge tone="success">active</Badge> : <Badge>stored</Badge>),
  },
  { header: "Description", accessorKey: "description" },
  { header: "In effect", accessorFn: (row) => `${row.effectiveFrom} – ${row.effectiveTo ?? "open"}` },
  {
    header: "Loaded",
    accessorFn: (row) => `${row.loadedAt.slice(0, 19).replace("T", " ")} by ${row.loadedBy}`,
  },
];

const ACTIVATION_COLUMNS: ColumnDef<PolicyActivation, unknown>[] = [
  { header: "When", accessorFn: (row) => row.activatedAt.slice(0, 19).replace("T", " ") },
  { header: "Policy", accessorFn: (row) => `${row.policyId} ${row.version}` },
  { header: "By", accessorKey: "activatedBy" },
  { header: "Reason", accessorKey: "reason" },
];

/** Published priority policies: versions, activation history, and a proposal's check, diff and dry-run. */
export function PoliciesPage() {
  const session = useSession();
  const { purpose } = session;
  const policies = useAsync((signal) => fetchPolicies(purpose, signal), [purpose]);
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState("");
  const [outcome, setOutcome] = useState<
    | { kind: "check"; value: Record<string, unknown> }
    | { kind: "diff"; value: PolicyDiff }
    | { kind: "dry-run"; value: DryRunResult }
    | undefined
  >(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  async function run<T>(work: () => Promise<T>, wrap: (value: T) => NonNullable<typeof outcome>) {
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    try {
      setOutcome(wrap(await work()));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const versions = policies.data?.versions ?? [];
  const proposal = { text, fileName: "proposal.yaml" };
  return (
    <>
      <PageHeader title="Policies">
        <p>
          The published, versioned priority policies. Policies rank and tier actionable cases; they never hide
          an actionable case or list a gated one.
        </p>
      </PageHeader>
      {policies.loading ? <Loading what="policies" /> : null}
      <ErrorAlert error={policies.error} />
      {policies.data ? (
        <>
          <DataTable
            caption="Policy versions"
            columns={VERSION_COLUMNS}
            rows={versions}
            rowKey={(row) => row.digest}
          />
          <div style={{ height: 16 }} />
          <DataTable
            caption="Activation history"
            columns={ACTIVATION_COLUMNS}
            rows={policies.data.activations}
            rowKey={(row) => row.sequence}
            empty="No activation recorded."
          />
        </>
      ) : null}
      <section className="card stack" aria-labelledby="proposal-title" style={{ marginTop: 16 }}>
        <h2 id="proposal-title">Compare a policy with the active one</h2>
        <SelectField
          label="Start from a stored version"
          options={[
            { value: "", label: "Choose a version…" },
            ...versions.map((version) => ({
              value: version.digest,
              label: `${version.policyId} ${version.version}`,
            })),
          ]}
          value={chosen}
          onChange={(event) => {
            setChosen(event.target.value);
            const version = versions.find((candidate) => candidate.digest === event.target.value);
            if (version) setText(version.text);
          }}
        />
        <TextAreaField
          label="Policy (YAML)"
          rows={12}
          className="mono"
          value={text}
          onChange={(event) => setText(event.target.value)}
          hint="Edit a stored version or paste a proposal; nothing here changes the active policy."
        />
        <div className="row">
          <Button
            disabled={busy || !text}
            onClick={() =>
              run(
                () => checkPolicy(proposal, purpose),
                (value) => ({ kind: "check", value }),
              )
            }
          >
            Check
          </Button>
          <Button
            disabled={busy || !text}
            onClick={() =>
              run(
                () => diffPolicy(proposal, purpose),
                (value) => ({ kind: "diff", value }),
              )
            }
          >
            Diff against active
          </Button>
          {session.may("policy.dry_run") ? (
            <Button
              variant="primary"
              disabled={busy || !text}
              onClick={() =>
                run(
                  () => dryRunPolicy(proposal, purpose),
                  (value) => ({ kind: "dry-run", value }),
                )
              }
            >
              Dry-run impact
            </Button>
          ) : null}
        </div>
        <ErrorAlert error={error} />
        {outcome?.kind === "check" ? <CheckView value={outcome.value} /> : null}
        {outcome?.kind === "diff" ? <PolicyDiffView diff={outcome.value} /> : null}
        {outcome?.kind === "dry-run" ? <DryRunView result={outcome.value} /> : null}
      </section>
    </>
  );
}

function CheckView({ value }: { value: Record<string, unknown> }) {
  if (value.valid === true) {
    return (
      <Alert tone="success" title="Valid policy">
        {String(value.id)} {String(value.version)}: {countOf(Number(value.rules), "rule")},{" "}
        {countOf(Number(value.tiers), "tier")}.
      </Alert>
    );
  }
  const problems = Array.isArray(value.problems) ? value.problems : [];
  return (
    <Alert tone="error" title="The policy has problems">
      <ul>
        {problems.map(readablePolicyProblem).map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
    </Alert>
  );
}
