import type { TimelineEntry } from "../../api/case-types.ts";
import { CitationList } from "./citation-list.tsx";

/** The person's dated lifecycle events, oldest first, each citing its record. */
export function TimelinePanel({ timeline }: { timeline: readonly TimelineEntry[] }) {
  if (timeline.length === 0) return <p>No dated event in the records.</p>;
  return (
    <ol className="timeline" aria-label="Lifecycle timeline">
      {timeline.map((entry) => (
        <li key={`${entry.date}-${entry.event}-${entry.description}`}>
          <strong>
            <time dateTime={entry.date}>{entry.date}</time> · {entry.event.replaceAll("_", " ")}
          </strong>
          <div>{entry.description}</div>
          <CitationList citations={entry.evidence} />
        </li>
      ))}
    </ol>
  );
}
