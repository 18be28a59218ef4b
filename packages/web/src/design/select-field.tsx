import type { SelectHTMLAttributes } from "react";
import { FieldFrame } from "./field-frame.tsx";

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> {
  readonly label: string;
  readonly options: readonly SelectOption[];
  readonly hint?: string;
}

/** A labelled native select (the most accessible dropdown there is). */
export function SelectField({ label, options, hint, ...select }: SelectFieldProps) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      control={(control) => (
        <select {...control} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
