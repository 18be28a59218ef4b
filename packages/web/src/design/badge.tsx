import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "danger" | "warning" | "success" | "info";

const SYMBOLS: Record<BadgeTone, string> = {
  neutral: "•",
  danger: "▲",
  warning: "⚠",
  success: "✓",
  info: "ℹ",
};

/** A short status label: a symbol and text carry the meaning, the colour only repeats it. */
export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`badge badge-${tone}`}>
      <span aria-hidden="true">{SYMBOLS[tone]}</span>
      {children}
    </span>
  );
}
