import type { StatusDocument } from "../../api/case-types.ts";
import { Badge, TableWrap } from "../../design/index.ts";
import { CitationList } from "./citation-list.tsx";
import { nextChangeLabel } from "./next-change.ts";

const humanise = (code: string) => code.replaceAll("_", " ").toLowerCase();

/** Current state, overlays, blockers and due-process gates, each with the records it rests on. */
export function StatusPanel({ status }: { status: StatusDocument }) {
  const holding = status.gates.results.filter((gate) => gate.holds);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="state-title">
        <h2 id="state-title">State</h2>
        <p>
          <Badge tone="info">{humanise(status.state.primary)}</Badge>{" "}
          {status.actionable ? (
            <Badge tone="danger">actionable: an executable final order, no gate holds</Badge>
          ) : (
            <Badge tone="success">not actionable</Badge>
          )}
        </p>
        <p>{status.state.description}</p>
        <dl className="facts">
          <dt>Since</dt>
          <dd>{status.state.since ?? "—"}</dd>
          <dt>Until</dt>
          <dd>{status.state.until ?? "—"}</dd>
          <dt>As of</dt>
          <dd data-testid="status-as-of">{status.as_of}</dd>
          <dt>Known at</dt>
          <dd>{status.known_at ?? "every version known"}</dd>
          <dt>Next change</dt>
          <dd>{nextChangeLabel(status)}</dd>
          <dt>Evidence</dt>
          <dd>
            <CitationList citations={status.state.evidence} />
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="overlays-title">
        <h2 id="overlays-title">Overlays</h2>
        {status.overlays.length === 0 ? <p>None.</p> : null}
        <ul className="stack" style={{ paddingLeft: 20 }}>
          {status.overlays.map((overlay) => (
            <li key={overlay.overlay}>
              <Badge tone="neutral">{humanise(overlay.overlay)}</Badge> {overlay.description}{" "}
              <span className="field-hint">
                {overlay.since ? `since ${overlay.since}` : ""}{" "}
                {overlay.until ? `until ${overlay.until}` : ""}
              </span>
              <div>
                <CitationList citations={overlay.evidence} />
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="blockers-title">
        <h2 id="blockers-title">Blockers</h2>
        {status.blockers.length === 0 ? <p>No blocker holds.</p> : null}
        <ul className="stack" style={{ paddingLeft: 20 }}>
          {status.blockers.map((blocker) => (
            <li key={blocker.code} data-testid="blocker">
              <Badge tone="warning">{humanise(blocker.code)}</Badge> <strong>{blocker.description}</strong>
              <div>{blocker.detail}</div>
              <div className="field-hint">
                Basis: {blocker.basis} · binding: {blocker.binding}
              </div>
              <CitationList citations={blocker.evidence} />
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="gates-title">
        <h2 id="gates-title">Due-process gates</h2>
        <p>
          {holding.length === 0
            ? "No gate holds."
            : `${holding.length} gate${holding.length === 1 ? "" : "s"} hold${holding.length === 1 ? "s" : ""}: no action may be taken, whatever the policy or role.`}
        </p>
        <TableWrap label="Every gate considered">
          <table className="table">
            <caption>Every gate considered</caption>
            <thead>
              <tr>
                <th scope="col">Gate</th>
                <th scope="col">Outcome</th>
                <th scope="col">Basis</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {status.gates.results.map((gate) => (
                <tr key={gate.gate}>
                  <td>{gate.description}</td>
                  <td>
                    {gate.holds ? <Badge tone="danger">holds</Badge> : <Badge tone="success">clear</Badge>}
                  </td>
                  <td>{gate.basis}</td>
                  <td>
                    <CitationList citations={gate.evidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </div>
  );
}
