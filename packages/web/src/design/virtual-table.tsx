import { useVirtualizer } from "@tanstack/react-virtual";
import {
  type KeyboardEvent,
  memo,
  type ReactElement,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from "react";

export interface VirtualColumn<Row> {
  readonly id: string;
  readonly header: string;
  /** Width in pixels; the table is laid out fixed so rows never reflow while scrolling. */
  readonly width: number;
  readonly cell: (row: Row, index: number) => ReactNode;
}

export interface VirtualTableProps<Row> {
  readonly caption: string;
  readonly columns: readonly VirtualColumn<Row>[];
  /** The total number of rows, loaded or not. */
  readonly rowCount: number;
  /** The row at an index, or undefined while its page is still loading. */
  readonly rowAt: (index: number) => Row | undefined;
  readonly rowKey: (row: Row, index: number) => string;
  /** Called with the visible index range (plus overscan) so the caller can load missing pages. */
  readonly onVisibleRange?: (first: number, last: number) => void;
  /** Enter (or a click) on a row. */
  readonly onActivate?: (row: Row, index: number) => void;
  readonly rowHeight?: number;
}

const PAGE_KEYS: Record<string, (index: number, page: number, last: number) => number> = {
  ArrowDown: (index) => index + 1,
  ArrowUp: (index) => index - 1,
  PageDown: (index, page) => index + page,
  PageUp: (index, page) => index - page,
  Home: () => 0,
  End: (_index, _page, last) => last,
};

/**
 * A table that renders only the rows in view (TanStack Virtual), so 100,000 rows cost what 30
 * do. It stays a real <table>: aria-rowcount and aria-rowindex tell assistive technology where
 * a row sits in the whole list; arrow keys, Page Up/Down, Home and End move a roving focus.
 */
export function VirtualTable<Row>(props: VirtualTableProps<Row>) {
  const { caption, columns, rowCount, rowAt, rowKey, onVisibleRange, onActivate } = props;
  const rowHeight = props.rowHeight ?? 36;
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  // The caller's handler may change every render; rows keep one stable function so they stay memoised.
  const activateReference = useRef(onActivate);
  activateReference.current = onActivate;
  const activate = useCallback((row: Row, index: number) => activateReference.current?.(row, index), []);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (last >= first) onVisibleRange?.(first, last);
  }, [first, last, onVisibleRange]);

  useEffect(() => {
    if (active >= rowCount && rowCount > 0) setActive(rowCount - 1);
  }, [active, rowCount]);

  function onKeyDown(event: KeyboardEvent<HTMLTableSectionElement>) {
    if (event.key === "Enter") {
      const row = rowAt(active);
      if (row !== undefined) onActivate?.(row, active);
      return;
    }
    const move = PAGE_KEYS[event.key];
    if (!move || rowCount === 0) return;
    event.preventDefault();
    const pageRows = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowHeight) - 1);
    const next = Math.min(rowCount - 1, Math.max(0, move(active, pageRows, rowCount - 1)));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
    requestAnimationFrame(() =>
      scroller.current
        ?.querySelector<HTMLElement>(`tr[data-index="${next}"]`)
        ?.focus({ preventScroll: true }),
    );
  }

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <div ref={scroller} className="table-wrap virtual-table" data-testid="virtual-table-scroller">
      <table className="table" aria-rowcount={rowCount + 1}>
        <caption>{caption}</caption>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) => (
              <th key={column.id} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {paddingTop > 0 ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row takes no focus; the rule counts every <tr> as interactive
            <tr aria-hidden="true" style={{ height: paddingTop }} />
          ) : null}
          {items.map((item) => {
            const row = rowAt(item.index);
            return (
              <VirtualRow
                key={row === undefined ? `loading-${item.index}` : rowKey(row, item.index)}
                row={row}
                index={item.index}
                active={item.index === active}
                columns={columns}
                rowHeight={rowHeight}
                onSelect={setActive}
                onActivate={activate}
              />
            );
          })}
          {paddingBottom > 0 ? (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row takes no focus; the rule counts every <tr> as interactive
            <tr aria-hidden="true" style={{ height: paddingBottom }} />
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

interface VirtualRowProps<Row> {
  readonly row: Row | undefined;
  readonly index: number;
  readonly active: boolean;
  readonly columns: readonly VirtualColumn<Row>[];
  readonly rowHeight: number;
  readonly onSelect: (index: number) => void;
  readonly onActivate: (row: Row, index: number) => void;
}

/**
 * One rendered row, memoised: while scrolling, rows that stay in view are not re-rendered, so a
 * frame costs only the rows that enter it (bench/web measures this).
 */
const VirtualRow = memo(function VirtualRow<Row>({
  row,
  index,
  active,
  columns,
  rowHeight,
  onSelect,
  onActivate,
}: VirtualRowProps<Row>) {
  return (
    <tr
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={active}
      tabIndex={active ? 0 : -1}
      style={{ height: rowHeight }}
      onFocus={() => onSelect(index)}
      onClick={() => {
        onSelect(index);
        if (row !== undefined) onActivate(row, index);
      }}
    >
      {row === undefined ? (
        <td colSpan={columns.length} className="field-hint">
          Loading row {index + 1}…
        </td>
      ) : (
        columns.map((column) => <td key={column.id}>{column.cell(row, index)}</td>)
      )}
    </tr>
  );
}) as <Row>(props: VirtualRowProps<Row>) => ReactElement;
