import { type ReactNode, useId } from "react";

/** What a control inside a field frame must carry: its id and the accessibility links. */
export interface FieldControlProps {
  readonly id: string;
  readonly "aria-invalid": true | undefined;
  readonly "aria-describedby": string | undefined;
}

/**
 * A labelled control with an optional hint and error, both tied to it for screen readers;
 * `control` renders the input itself with the props given.
 */
export function FieldFrame({
  label,
  hint,
  error,
  control,
}: {
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly control: (props: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {control({ id, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined })}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          ⚠ {error}
        </span>
      ) : null}
    </div>
  );
}
