/** A polite "loading" line that screen readers announce once. */
export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite" className="field-hint">
      Loading {what}…
    </p>
  );
}
