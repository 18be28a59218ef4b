/**
 * The confidentiality flags of one record, the same rule as `RECORD_CONFIDENTIALITY_SQL` in the
 * store (which filters lists in SQL): an I-589 or an asylum-type court case gives `asylum`
 * (8 CFR 208.6); I-914, I-918 and I-360 give `vawa1367` (8 U.S.C. 1367).
 */
export function recordConfidentialityOf(
  feed: string,
  fields: Readonly<Record<string, unknown>>,
): ("asylum" | "vawa1367")[] {
  const text = (name: string) => (typeof fields[name] === "string" ? (fields[name] as string) : "");
  if (feed === "benefit") {
    if (text("form_type") === "I-589") return ["asylum"];
    if (["I-914", "I-918", "I-360"].includes(text("form_type"))) return ["vawa1367"];
  }
  if (feed === "court") {
    if (["AOC", "WHO", "CFR", "RFR"].includes(text("case_type").toUpperCase())) return ["asylum"];
    if (/^(asylum|withholding|cat)([^a-z]|$)/.test(text("relief_type").toLowerCase())) return ["asylum"];
  }
  return [];
}
