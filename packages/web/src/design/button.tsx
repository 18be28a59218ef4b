import type { ButtonHTMLAttributes } from "react";

export type ButtonVariant = "primary" | "secondary" | "danger";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: ButtonVariant;
  /** A keyboard shortcut, shown beside the label and announced through aria-keyshortcuts. */
  readonly shortcut?: string;
}

/** A button; its type defaults to "button" so it never submits a form by accident. */
export function Button({ variant = "secondary", shortcut, className, children, ...rest }: ButtonProps) {
  const classes = ["button", variant === "secondary" ? "" : `button-${variant}`, className ?? ""];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(" ")}
      aria-keyshortcuts={shortcut}
      {...rest}
    >
      {children}
      {shortcut ? <span className="shortcut">{shortcut}</span> : null}
    </button>
  );
}
