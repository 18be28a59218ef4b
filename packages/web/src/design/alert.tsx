import type { ReactNode } from "react";

export type AlertTone = "error" | "warning" | "success" | "info";

const LABELS: Record<AlertTone, string> = {
  error: "Error",
  warning: "Warning",
  success: "Done",
  info: "Note",
};

/** A message box; the tone is spoken as a word, not only shown as a colour. */
export function Alert({ tone, title, children }: { tone: AlertTone; title?: string; children?: ReactNode }) {
  return (
    <div className={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <strong>
        {LABELS[tone]}
        {title ? `: ${title}` : ""}
      </strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** An error from an API call, shown as a readable sentence. */
export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return <Alert tone="error">{message}</Alert>;
}
