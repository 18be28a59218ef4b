import type { ColumnDef } from "@tanstack/react-table";
import { type FormEvent, useState } from "react";
import {
  createPlan,
  type FreezeReport,
  fetchPlan,
  fetchPlans,
  freezePlan,
  type TransportPlanSummary,
} from "../../api/transport-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
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
  TextField,
  useAsync,
} from "../../design/index.ts";
import { PlanView } from "./plan-view.tsx";

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What an empty list of plans means: plans are authorised by their office, so a reader sees only
 * the plans of the offices they may read; plans of another office may exist, and are not listed.
 */
function noPlanMessage(office: string): string {
  return `No plan you may see: plans are read by office${office ? ` (yours is ${office})` : ""}, and those of an office you may not read are not listed.`;
}

/** Removal transport: plan the horizon's flights, inspect manifests and strikes, re-check and freeze. */
export function TransportPage() {
  const session = useSession();
  const { purpose } = session;
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [horizon, setHorizon] = useState({ from: isoDate(0), to: isoDate(14) });
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [freezeReport, setFreezeReport] = useState<FreezeReport | undefined>(undefined);
  const plans = useAsync(
    (signal) => (purpose ? fetchPlans(purpose, signal) : Promise.resolve([])),
    [purpose, generation],
  );
  const plan = useAsync(
    (signal) => (purpose && selected ? fetchPlan(selected, purpose, signal) : Promise.resolve(undefined)),
    [purpose, selected, generation],
  );

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      setGeneration((value) => value + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  function onPlan(event: FormEvent) {
    event.preventDefault();
    setFreezeReport(undefined);
    void act(async () => setSelected((await createPlan(horizon, purpose)).planId));
  }

  const columns: ColumnDef<TransportPlanSummary, unknown>[] = [
    {
      header: "Plan",
      accessorKey: "planId",
      cell: (cell) => (
        <button type="button" className="button" onClick={() => setSelected(String(cell.getValue()))}>
          {String(cell.getValue())}
        </button>
      ),
    },
    { header: "Horizon", accessorFn: (row) => `${row.horizon.from} – ${row.horizon.to}` },
    { header: "Office", accessorKey: "office" },
    {
      header: "Status",
      accessorKey: "status",
      cell: (cell) =>
        cell.getValue() === "frozen" ? (
          <Badge tone="info">frozen</Badge>
        ) : (
          <Badge tone="warning">draft</Badge>
        ),
    },
    {
      header: "Created",
      accessorFn: (row) => `${row.createdAt.slice(0, 16).replace("T", " ")} by ${row.createdBy}`,
    },
  ];

  if (!purpose) {
    return (
      <>
        <PageHeader title="Transport planner" />
        <PurposeRequired />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Transport planner">
        <p>
          Only actionable, gate-clear cases are placed; every manifest is re-checked against fresh statuses
          before it is frozen.
        </p>
      </PageHeader>
      {session.may("plan.write") ? (
        <form className="row card" onSubmit={onPlan} aria-label="Plan flights">
          <TextField
            label="From"
            type="date"
            required
            value={horizon.from}
            onChange={(event) => setHorizon({ ...horizon, from: event.target.value })}
          />
          <TextField
            label="To"
            type="date"
            required
            value={horizon.to}
            onChange={(event) => setHorizon({ ...horizon, to: event.target.value })}
          />
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Planning…" : "Plan flights"}
          </Button>
        </form>
      ) : null}
      <ErrorAlert error={error} />
      {plans.loading ? <Loading what="plans" /> : null}
      <ErrorAlert error={plans.error} />
      {plans.data ? (
        <DataTable
          caption="Transport plans"
          columns={columns}
          rows={plans.data}
          rowKey={(row) => row.planId}
          empty={noPlanMessage(session.user?.office ?? "")}
        />
      ) : null}
      {plan.data ? (
        <section className="card stack" aria-label="Selected plan" style={{ marginTop: 16 }}>
          <h2>Plan {plan.data.planId}</h2>
          {plan.data.status === "draft" && session.may("plan.freeze") ? (
            <div>
              <Button
                variant="primary"
                disabled={busy}
                onClick={() => act(async () => setFreezeReport(await freezePlan(plan.data!.planId, purpose)))}
              >
                Re-check and freeze
              </Button>
            </div>
          ) : null}
          {freezeReport && freezeReport.plan.planId === plan.data.planId ? (
            <Alert tone="success" title="Frozen">
              Re-checked at {freezeReport.checkedAt}; {freezeReport.struck.length} struck
              {freezeReport.struck.length > 0
                ? `: ${freezeReport.struck.map((strike) => `${strike.personId} (${strike.reason}${strike.detail ? `: ${strike.detail}` : ""})`).join("; ")}`
                : "."}
              {freezeReport.struckWithheld > 0
                ? ` Not shown: ${countOf(freezeReport.struckWithheld, "more struck case")} you may not read.`
                : ""}
            </Alert>
          ) : null}
          <PlanView plan={plan.data} />
        </section>
      ) : null}
      <ErrorAlert error={plan.error} />
    </>
  );
}
