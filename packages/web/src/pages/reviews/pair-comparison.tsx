import type { LinkedRecord, ReviewItem } from "../../api/linkage-api.ts";
import { Badge, TableWrap } from "../../design/index.ts";
import { fieldAgreement } from "./field-agreement.ts";

/**
 * Two records side by side, every field a row; a differing value is marked with a word and a colour.
 * `fields` are the pair's comparison levels by the active model: a field is same or different as
 * its comparison's level says, so this table and the weights table never disagree.
 */
export function PairComparison({
  left,
  right,
  fields: compared = [],
}: {
  left: LinkedRecord;
  right: LinkedRecord;
  fields?: ReviewItem["fields"];
}) {
  const levels = new Map(compared.map((field) => [field.comparison, field.label]));
  const fields = [...new Set([...Object.keys(left.values), ...Object.keys(right.values)])].sort();
  return (
    <TableWrap label="The two records side by side">
      <table className="table" data-testid="pair-comparison">
        <caption>The two records side by side</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col" className="mono">
              {left.record}
            </th>
            <th scope="col" className="mono">
              {right.record}
            </th>
            <th scope="col">Same?</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const a = left.values[field] ?? "";
            const b = right.values[field] ?? "";
            const { agreement, level } = fieldAgreement(a, b, levels.get(field));
            const differs = agreement === "differs";
            const missing = agreement === "missing";
            return (
              <tr key={field} data-testid={differs ? "differing-field" : undefined}>
                <th scope="row">{field.replaceAll("_", " ")}</th>
                <td className={differs ? "mono diff" : "mono"}>{a || "—"}</td>
                <td className={differs ? "mono diff" : "mono"}>{b || "—"}</td>
                <td>
                  {differs ? (
                    <>
                      <Badge tone="warning">differs</Badge>
                      {level ? <span className="field-hint"> {level.replaceAll("_", " ")}</span> : null}
                    </>
                  ) : missing ? (
                    <Badge>missing</Badge>
                  ) : (
                    <Badge tone="success">same</Badge>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The weight each compared field gives the pair, in bits (positive: agreement). */
export function FieldWeights({ fields }: { fields: NonNullable<ReviewItem["fields"]> }) {
  return (
    <TableWrap label="Field weights by the active model">
      <table className="table">
        <caption>Field weights by the active model</caption>
        <thead>
          <tr>
            <th scope="col">Comparison</th>
            <th scope="col">Outcome</th>
            <th scope="col">Weight (bits)</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const total = field.weight + field.termFrequencyAdjustment;
            return (
              <tr key={field.comparison}>
                <th scope="row">{field.comparison}</th>
                <td>{field.label}</td>
                <td>{`${total >= 0 ? "+" : "−"}${Math.abs(total).toFixed(2)}`}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
