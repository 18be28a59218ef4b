import { Link } from "react-router";
import type { ManifestStrike, StrikeAtFreeze, TransportPlan } from "../../api/transport-api.ts";
import { Badge, countOf, TableWrap } from "../../design/index.ts";

const usd = (amount: number) => `$${Math.round(amount).toLocaleString("en-US")}`;

/** A strike's reason as the manifest words it: the code, the gates that hold, then its detail. */
const strikeWording = (strike: ManifestStrike | StrikeAtFreeze) =>
  `${strike.reason}${strike.gates.length > 0 ? ` (gates: ${strike.gates.join(", ")})` : ""}${strike.detail ? `: ${strike.detail}` : ""}`;

/**
 * A plan's costs (as planned, and of the seats still held), its manifests (struck passengers shown
 * with their reason; on a draft, whom its freeze would strike now) and the cases left out, with why.
 */
export function PlanView({ plan }: { plan: TransportPlan }) {
  const { cost, heldCost } = plan;
  // A draft is not re-checked until it is frozen: it still seats whom it planned.
  const struckAtFreeze = plan.manifests.flatMap((manifest) =>
    manifest.passengers.filter((passenger) => passenger.strikeAtFreeze !== null),
  ).length;
  return (
    <div className="stack" data-testid="transport-plan">
      <p>
        Plan <code>{plan.planId}</code> for {plan.horizon.from} to {plan.horizon.to}, office{" "}
        {plan.office || "—"}:{" "}
        {plan.status === "frozen" ? (
          <Badge tone="info">
            frozen {plan.frozenAt?.slice(0, 16).replace("T", " ")} by {plan.frozenBy}
          </Badge>
        ) : (
          <Badge tone="warning">draft: re-checked against fresh statuses when frozen</Badge>
        )}
      </p>
      {/* Both costs always: a strike never changes the planned cost, only what the held seats cost. */}
      <p data-testid="plan-cost">
        {`Planned cost ${usd(cost.total)} (flights ${usd(cost.flights)}, detention ${usd(cost.detention)}, carry-over ${usd(cost.carryOver)}); seats still held cost ${usd(heldCost.total)} (flights ${usd(heldCost.flights)}, detention ${usd(heldCost.detention)}).`}
      </p>
      {plan.status === "draft" ? (
        <p className="field-hint" data-testid="draft-freeze-check">
          {`A draft is re-checked when frozen; ${struckAtFreeze} of the passengers shown would be struck now.`}
        </p>
      ) : null}
      {plan.manifests.length === 0 ? <p>No flight in the horizon has a manifest.</p> : null}
      {plan.manifests.map((manifest) => (
        <section key={manifest.flightId} className="card" aria-label={`Flight ${manifest.flightId}`}>
          <h3>
            Flight {manifest.flightId} · {manifest.date} · {manifest.originHub} →{" "}
            {manifest.destinationCountry}
            {manifest.destinationPort ? ` (${manifest.destinationPort})` : ""}
          </h3>
          <p className="field-hint">
            {manifest.passengers.filter((passenger) => !passenger.strike).length} of {manifest.capacity} seats
            used
            {manifest.passengersWithheld > 0
              ? ` by the cases you may read; not shown: ${countOf(manifest.passengersWithheld, "more passenger")} whose status you may not read`
              : ""}
          </p>
          <TableWrap label={`Manifest of flight ${manifest.flightId}`}>
            <table className="table">
              <caption className="visually-hidden">Manifest of flight {manifest.flightId}</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Ready since</th>
                  <th scope="col">Days detained</th>
                  <th scope="col">Manifest status</th>
                </tr>
              </thead>
              <tbody>
                {manifest.passengers.map((passenger) => (
                  <tr key={passenger.personId}>
                    <td>
                      <Link to={`/persons/${encodeURIComponent(passenger.personId)}`} className="mono">
                        {passenger.personId}
                      </Link>
                    </td>
                    <td>{passenger.readyDate}</td>
                    <td>{passenger.detentionDays}</td>
                    <td>
                      {passenger.strike ? (
                        <>
                          <Badge tone="danger">struck</Badge> {strikeWording(passenger.strike)}
                        </>
                      ) : passenger.strikeAtFreeze ? (
                        <>
                          <Badge tone="warning">would be struck at freeze</Badge>{" "}
                          {strikeWording(passenger.strikeAtFreeze)}
                        </>
                      ) : (
                        <Badge tone="success">on manifest</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ))}
      {plan.leftOutWithheld > 0 ? (
        <p className="field-hint">
          Not shown: {countOf(plan.leftOutWithheld, "case")} left out that you may not read.
        </p>
      ) : null}
      {plan.leftOut.length > 0 ? (
        <details>
          <summary>{countOf(plan.leftOut.length, "case")} left out, and why</summary>
          <ul>
            {plan.leftOut.map((left) => (
              <li key={left.personId}>
                <span className="mono">{left.personId}</span>: {left.kind}, {left.reason}
                {left.gates.length > 0 ? ` (gates: ${left.gates.join(", ")})` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
