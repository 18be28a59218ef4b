import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * The frame of a table, which scrolls when the table is wider (or taller) than the room it has: on a
 * narrow screen the table scrolls in it, never the page. While it scrolls it is a labelled region
 * that takes the keyboard focus, so the arrow keys scroll it (WCAG 2.1.1; axe
 * `scrollable-region-focusable`); a table that fits adds no stop to the tab order.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  const frame = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () =>
      setScrolls(
        element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1,
      );
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <div
      ref={frame}
      className="table-wrap"
      {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": label } : {})}
    >
      {children}
    </div>
  );
}
