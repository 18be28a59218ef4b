import { useState } from "react";
import { Link } from "react-router";
import { fetchWorklistExplanation } from "../../api/worklist-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import {
  Button,
  Dialog,
  ErrorAlert,
  Loading,
  PageHeader,
  SelectField,
  useAsync,
} from "../../design/index.ts";
import { ExplanationView } from "../person/priority-panel.tsx";
import { OverrideForm } from "./override-form.tsx";
import { tierFilterOptions } from "./policy-tiers.ts";
import { useWorklistPages } from "./use-worklist-pages.ts";
import { casesCount, EmptyWorklist, WorklistTable } from "./worklist-table.tsx";

function ExplanationDialog({
  personId,
  onClose,
  onChanged,
}: {
  personId: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const session = useSession();
  const explained = useAsync(
    (signal) => fetchWorklistExplanation(personId, session.purpose, signal),
    [personId, session.purpose],
  );
  return (
    <Dialog open title={`Why ${personId} is on the worklist`} onClose={onClose}>
      {explained.loading ? <Loading what="the explanation" /> : null}
      <ErrorAlert error={explained.error} />
      {explained.data ? <ExplanationView explained={explained.data} /> : null}
      {explained.data && session.may("worklist.override") ? (
        <OverrideForm
          explained={explained.data}
          onDone={() => {
            // The explanation shown is read again (its tier, the override), as is the list.
            explained.reload();
            onChanged();
          }}
        />
      ) : null}
      <div className="row" style={{ marginTop: 16 }}>
        <Link to={`/persons/${encodeURIComponent(personId)}`}>Open the person</Link>
        <Button onClick={onClose}>Close</Button>
      </div>
    </Dialog>
  );
}

/** The actionable cases of the office, most urgent first, with the explanation of each on demand. */
export function WorklistsPage() {
  const session = useSession();
  const [tier, setTier] = useState("");
  const [open, setOpen] = useState<string | undefined>(undefined);
  const pages = useWorklistPages({ tier: tier ? Number(tier) : undefined }, session.purpose);
  return (
    <>
      <PageHeader title="Worklist">
        <p>
          Every actionable case (an executable final order, no due-process gate holding), ranked by the
          published policy{pages.policy ? ` ${pages.policy.id} ${pages.policy.version}` : ""}. Select a row
          (or press Enter on it) for the rules that placed it.
        </p>
      </PageHeader>
      {session.purpose ? (
        <>
          <div className="row card">
            <SelectField
              label="Tier"
              options={tierFilterOptions(pages.policy?.tiers ?? [], tier)}
              value={tier}
              onChange={(event) => setTier(event.target.value)}
            />
            <p role="status" style={{ margin: 0 }}>
              {pages.total === undefined ? "Loading…" : casesCount(pages.total)}
            </p>
          </div>
          <ErrorAlert error={pages.error} />
          {pages.total === 0 ? <EmptyWorklist tier={tier} /> : null}
          {pages.total !== undefined && pages.total > 0 ? (
            <WorklistTable
              total={pages.total}
              entryAt={pages.entryAt}
              onVisibleRange={pages.ensure}
              onOpen={(entry) => setOpen(entry.personId)}
            />
          ) : null}
          {open ? (
            <ExplanationDialog personId={open} onClose={() => setOpen(undefined)} onChanged={pages.reload} />
          ) : null}
        </>
      ) : (
        <PurposeRequired />
      )}
    </>
  );
}
