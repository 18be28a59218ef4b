import type { TextareaHTMLAttributes } from "react";
import { FieldFrame } from "./field-frame.tsx";

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id"> {
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
}

/** A labelled multi-line input (reasons, notes). */
export function TextAreaField({ label, hint, error, ...area }: TextAreaFieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(control) => <textarea rows={3} {...control} {...area} />}
    />
  );
}
