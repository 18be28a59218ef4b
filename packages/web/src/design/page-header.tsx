import { type ReactNode, useEffect } from "react";

/** The page's one h1, also set as the document title so each page is announced by name. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Passage`;
  }, [title]);
  return (
    <header className="stack" style={{ marginBottom: 16 }}>
      <h1>{title}</h1>
      {children ? <div>{children}</div> : null}
    </header>
  );
}
