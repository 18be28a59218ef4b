import type { InputHTMLAttributes } from "react";
import { FieldFrame } from "./field-frame.tsx";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  readonly label: string;
  readonly hint?: string;
  readonly error?: string | undefined;
}

/** A labelled input with an optional hint and error, both tied to it for screen readers. */
export function TextField({ label, hint, error, ...input }: TextFieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(control) => <input {...control} {...input} />}
    />
  );
}
