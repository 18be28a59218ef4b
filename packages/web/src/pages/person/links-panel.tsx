import { useState } from "react";
import { explainPair, fetchPersonLinks, type PersonLink, type PersonLinks } from "../../api/linkage-api.ts";
import { useSession } from "../../auth/session-context.tsx";
import { Badge, Button, countOf, ErrorAlert, Loading, TableWrap, useAsync } from "../../design/index.ts";
import { WeightWaterfall } from "./weight-waterfall.tsx";

const sameLink = (a: PersonLink | null, b: PersonLink) =>
  a !== null && a.leftRecord === b.leftRecord && a.rightRecord === b.rightRecord;

function LinkExplanation({ link }: { link: PersonLink }) {
  const { purpose } = useSession();
  const pair = useAsync(
    (signal) => explainPair(link.leftRecord, link.rightRecord, purpose, signal),
    [link, purpose],
  );
  if (pair.loading) return <Loading what="the explanation" />;
  if (!pair.data) return <ErrorAlert error={pair.error} />;
  return (
    <div data-testid="link-explanation">
      <WeightWaterfall
        explanation={pair.data.explanation}
        title={`Why ${link.leftRecord} and ${link.rightRecord} are one person: weight by field (model v${pair.data.modelVersion})`}
      />
    </div>
  );
}

/** How many records and links make the person, and where it would break first. */
export function LinksSummary({ links }: { links: PersonLinks }) {
  const supporting = links.supportingLinks;
  return (
    <p>
      {countOf(links.records.length, "record")} held together by {countOf(links.links.length, "link")}
      {supporting > 0 ? ` (and ${countOf(supporting, "further agreeing pair")})` : ""}. The weakest link is
      where the person would break first
      {links.weakestLink?.kind === "must_link"
        ? ": only human decisions hold this person together, and a must-link breaks only when it is reversed."
        : "."}
    </p>
  );
}

/** The links holding a person together, each explainable as a waterfall; the weakest link highlighted. */
export function LinksPanel({ personId }: { personId: string }) {
  const { purpose } = useSession();
  const links = useAsync((signal) => fetchPersonLinks(personId, purpose, signal), [personId, purpose]);
  const [open, setOpen] = useState<PersonLink | undefined>(undefined);
  if (links.loading) return <Loading what="links" />;
  if (!links.data) return <ErrorAlert error={links.error} />;
  const { weakestLink } = links.data;
  return (
    <div className="stack">
      <LinksSummary links={links.data} />
      <TableWrap label="Links holding the person together">
        <table className="table">
          <caption>Links holding the person together</caption>
          <thead>
            <tr>
              <th scope="col">Records</th>
              <th scope="col">Kind</th>
              <th scope="col">Match weight</th>
              <th scope="col">Probability</th>
              <th scope="col">Explanation</th>
            </tr>
          </thead>
          <tbody>
            {links.data.links.map((link) => {
              const weakest = sameLink(weakestLink, link);
              return (
                <tr
                  key={`${link.leftRecord}|${link.rightRecord}`}
                  data-testid={weakest ? "weakest-link" : "link"}
                  style={
                    weakest ? { outline: "3px solid var(--color-warning)", outlineOffset: -3 } : undefined
                  }
                >
                  <td className="mono">
                    {link.leftRecord} ↔ {link.rightRecord}
                    {weakest ? (
                      <div>
                        <Badge tone="warning">weakest link</Badge>
                      </div>
                    ) : null}
                  </td>
                  <td>{link.kind === "must_link" ? "human decision (must link)" : "automatic"}</td>
                  <td>{link.weight === null ? "—" : `${link.weight.toFixed(2)} bits`}</td>
                  <td>{(link.probability * 100).toFixed(1)}%</td>
                  <td>
                    <Button
                      onClick={() => setOpen(link)}
                      aria-label={`Explain the link ${link.leftRecord} to ${link.rightRecord}`}
                    >
                      Explain
                    </Button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {open ? <LinkExplanation link={open} /> : null}
      {links.data.openReviews.length > 0 ? (
        <p>
          <Badge tone="warning">{countOf(links.data.openReviews.length, "open review")}</Badge>{" "}
          {links.data.openReviews.length === 1
            ? "An uncertain pair involving this person waits for a data steward."
            : "Uncertain pairs involving this person wait for a data steward."}
        </p>
      ) : null}
      {links.data.decisionsWithheld + links.data.openReviewsWithheld + links.data.identityIssuesWithheld >
      0 ? (
        <p>
          Not shown: {countOf(links.data.openReviewsWithheld, "open review")},{" "}
          {countOf(links.data.decisionsWithheld, "decision")} and{" "}
          {countOf(links.data.identityIssuesWithheld, "identity issue")} involving records of persons whose
          links you may not read.
        </p>
      ) : null}
    </div>
  );
}
