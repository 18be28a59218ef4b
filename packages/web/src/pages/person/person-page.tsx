import { type FormEvent, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { fetchPerson, fetchStatus } from "../../api/case-api.ts";
import type { SourcedValue } from "../../api/case-types.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import {
  Badge,
  Button,
  ErrorAlert,
  Loading,
  PageHeader,
  type Tab,
  Tabs,
  TextField,
  useAsync,
} from "../../design/index.ts";
import { IdentityPanel } from "./identity-panel.tsx";
import { instantFromLocalTime, localTimeOfInstant, localTimeZoneLabel, parseKnownAt } from "./known-at.ts";
import { LinksPanel } from "./links-panel.tsx";
import { PriorityPanel } from "./priority-panel.tsx";
import { RedressHistoryPanel } from "./redress-history-panel.tsx";
import { StatusPanel } from "./status-panel.tsx";
import { TimelinePanel } from "./timeline-panel.tsx";

function firstValue(person: Record<string, unknown>, field: string): string {
  const values = person[field];
  return Array.isArray(values) && values.length > 0 ? String((values[0] as SourcedValue).value) : "";
}

/**
 * The "as of" control: valid time (a date) and record time (what was known at an instant, typed
 * in the reader's local time and passed on as a UTC instant). Its fields start from the address;
 * the page remounts it when the address changes (back, forward, a link) so they follow it.
 */
function AsOfControl({
  asOf,
  knownAt,
  onChange,
}: {
  asOf: string;
  /** The instant of the address, or "" for none. */
  knownAt: string;
  onChange: (asOf: string, knownAt: string) => void;
}) {
  const [date, setDate] = useState(asOf);
  const [known, setKnown] = useState(() => (knownAt ? localTimeOfInstant(knownAt) : ""));
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    onChange(date, instantFromLocalTime(known) ?? "");
  }
  return (
    <form className="row card" onSubmit={onSubmit} aria-label="Status as of">
      <TextField
        label="Status as of (date)"
        type="date"
        value={date}
        onChange={(event) => setDate(event.target.value)}
        hint="Empty: today"
      />
      <TextField
        label="As known at (time)"
        type="datetime-local"
        value={known}
        onChange={(event) => setKnown(event.target.value)}
        hint={`Your local time, ${localTimeZoneLabel()}. Empty: every record version known now`}
      />
      <Button type="submit">Show status</Button>
      <Button
        onClick={() => {
          setDate("");
          setKnown("");
          onChange("", "");
        }}
      >
        Today
      </Button>
    </form>
  );
}

/**
 * One person: identity with every source record, status with evidence (as of any date, as known
 * at any time), timeline, links, priority and redress history. Tabs appear only for what the reader's role may see.
 */
export function PersonPage() {
  const { personId = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const session = useSession();
  const { purpose } = session;
  const asOf = search.get("asOf") ?? "";
  const knownAtText = search.get("knownAt") ?? "";
  const knownAt = parseKnownAt(knownAtText);
  const person = useAsync(
    (signal) => (purpose ? fetchPerson(personId, purpose, signal) : Promise.resolve(undefined)),
    [personId, purpose],
  );
  const status = useAsync(
    (signal) =>
      purpose && session.may("status.read") && !knownAt.problem
        ? fetchStatus(personId, { asOf: asOf || undefined, knownAt: knownAt.instant }, purpose, signal)
        : Promise.resolve(undefined),
    [personId, purpose, asOf, knownAt.instant, knownAt.problem],
  );

  if (!purpose) {
    return (
      <>
        <PageHeader title={`Person ${personId}`} />
        <PurposeRequired />
      </>
    );
  }
  const view = person.data?.person;
  // A person that does not exist or is out of the reader's reach fails every load alike (the
  // person, the status, the priority): say so once, with nothing else of a person page around it.
  // Until the person has loaded nothing else is shown either: a panel's refusal that came first
  // (the status's, the priority's) was shown as the page's answer.
  if (!view && (person.loading || (person.error && !status.loading && !status.data))) {
    return (
      <>
        <PageHeader title={`Person ${personId}`} />
        {person.loading ? <Loading what="the person" /> : <ErrorAlert error={person.error} />}
      </>
    );
  }
  const name = view ? `${firstValue(view, "given_names")} ${firstValue(view, "family_name")}`.trim() : "";
  const tabs: Tab[] = [];
  if (status.data) {
    const current = status.data;
    tabs.push({
      id: "status",
      label: "Status and evidence",
      content: () => <StatusPanel status={current} />,
    });
    tabs.push({
      id: "timeline",
      label: "Timeline",
      content: () => <TimelinePanel timeline={current.timeline} />,
    });
  }
  if (view) {
    tabs.push({
      id: "identity",
      label: "Identity and records",
      content: () => <IdentityPanel person={view} hidden={person.data?.hiddenFieldGroups ?? []} />,
    });
  }
  if (view && session.may("link.read")) {
    tabs.push({ id: "links", label: "Links", content: () => <LinksPanel personId={personId} /> });
  }
  if (session.may("worklist.read")) {
    tabs.push({ id: "priority", label: "Priority", content: () => <PriorityPanel personId={personId} /> });
  }
  if (session.may("redress.read")) {
    tabs.push({
      id: "redress",
      label: "Redress history",
      content: () => <RedressHistoryPanel personId={personId} />,
    });
  }

  return (
    <>
      <PageHeader title={name ? `${name} (${personId})` : `Person ${personId}`}>
        {status.data ? (
          <p>
            {status.data.actionable ? (
              <Badge tone="danger">actionable</Badge>
            ) : (
              <Badge tone="success">not actionable</Badge>
            )}{" "}
            {status.data.state.description}
          </p>
        ) : null}
      </PageHeader>
      {session.may("status.read") ? (
        <AsOfControl
          key={`${asOf}|${knownAtText}`}
          asOf={asOf}
          knownAt={knownAt.instant ?? ""}
          onChange={(nextAsOf, nextKnownAt) => {
            const next = new URLSearchParams();
            if (nextAsOf) next.set("asOf", nextAsOf);
            if (nextKnownAt) next.set("knownAt", nextKnownAt);
            setSearch(next);
          }}
        />
      ) : null}
      {person.loading || status.loading ? <Loading what="the person" /> : null}
      <ErrorAlert error={person.error} />
      {/* An unreadable person fails both loads alike: say it once. */}
      {status.error && String(status.error) !== String(person.error) ? (
        <ErrorAlert error={status.error} />
      ) : null}
      <ErrorAlert error={knownAt.problem} />
      {tabs.length > 0 ? <Tabs label="Person" tabs={tabs} /> : null}
    </>
  );
}
