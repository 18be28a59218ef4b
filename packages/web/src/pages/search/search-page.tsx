import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { searchPersons } from "../../api/linkage-api.ts";
import { PurposeRequired } from "../../app/purpose-picker.tsx";
import { useSession } from "../../auth/session-context.tsx";
import {
  Button,
  ErrorAlert,
  Loading,
  PageHeader,
  TableWrap,
  TextField,
  useAsync,
} from "../../design/index.ts";

/** The longest search text the server takes (`GET /persons?q=`). */
const MAX_QUERY_LENGTH = 200;

/** One box for names (fuzzy, either order, transliterated) and document numbers; results say why they matched. */
export function SearchPage() {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const query = search.get("q") ?? "";
  const [draft, setDraft] = useState(query);
  const tooLong =
    query.length > MAX_QUERY_LENGTH
      ? `Search text may be at most ${MAX_QUERY_LENGTH} characters; this has ${query.length}. Shorten it.`
      : undefined;
  const results = useAsync(
    (signal) =>
      session.purpose && query.length >= 2 && !tooLong
        ? searchPersons(query, session.purpose, signal)
        : Promise.resolve(undefined),
    [query, session.purpose],
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSearch(draft.trim() ? { q: draft.trim() } : {});
  }
  return (
    <>
      <PageHeader title="Search" />
      {session.purpose ? (
        <>
          <form className="row card" onSubmit={onSubmit} aria-label="Search persons">
            <div style={{ flex: 1 }}>
              <TextField
                label="Name or document number"
                hint="Names in any order, misspelt or transliterated; or an A-number, passport, I-94 or receipt number"
                value={draft}
                minLength={2}
                onChange={(event) => setDraft(event.target.value)}
              />
            </div>
            <Button type="submit" variant="primary">
              Search
            </Button>
          </form>
          {results.loading && query ? <Loading what="results" /> : null}
          <ErrorAlert error={tooLong ?? results.error} />
          {results.data ? (
            <TableWrap label="Search results">
              <table className="table">
                <caption>
                  {results.data.length} {results.data.length === 1 ? "person" : "persons"} for “{query}”
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Name</th>
                    <th scope="col">Date of birth</th>
                    <th scope="col">Why it matched</th>
                    <th scope="col">Score</th>
                  </tr>
                </thead>
                <tbody>
                  {results.data.map((result) => (
                    <tr key={`${result.personId}-${result.record}`} data-testid="search-result">
                      <td>
                        <Link to={`/persons/${encodeURIComponent(result.personId)}`} className="mono">
                          {result.personId}
                        </Link>
                      </td>
                      <td>
                        {[result.values.given_names, result.values.family_name].filter(Boolean).join(" ") ||
                          "—"}
                      </td>
                      <td>{result.values.date_of_birth ?? "—"}</td>
                      <td>
                        {result.reason} <span className="field-hint mono">({result.record})</span>
                      </td>
                      <td>{result.score.toFixed(2)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : null}
        </>
      ) : (
        <PurposeRequired />
      )}
    </>
  );
}
