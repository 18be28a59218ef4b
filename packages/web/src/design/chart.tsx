import { useEffect, useRef } from "react";

/** The subset of an ECharts option the UI builds; typed loosely because ECharts' own type is huge. */
export type ChartOption = Record<string, unknown>;

export interface ChartProps {
  /** What the chart shows, read by screen readers in place of the picture. */
  readonly label: string;
  readonly option: ChartOption;
  /** The same figures as a table, for people who cannot see the chart (and for tests). */
  readonly summary: React.ReactNode;
  readonly height?: number;
}

/**
 * An ECharts chart (loaded lazily: the library is large), with its figures also given as text.
 * Updates merge into the same instance, so a live chart animates instead of redrawing.
 */
export function Chart({ label, option, summary, height }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const instance = useRef<{ setOption(option: ChartOption): void; dispose(): void; resize(): void } | null>(
    null,
  );
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import("echarts").then((echarts) => {
      if (disposed || !element.current) return;
      const chart = echarts.init(element.current, undefined, { renderer: "canvas" });
      chart.setOption({ aria: { enabled: true }, animationDuration: 300, ...latest.current });
      instance.current = chart as unknown as NonNullable<typeof instance.current>;
      observer = new ResizeObserver(() => chart.resize());
      observer.observe(element.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      instance.current?.dispose();
      instance.current = null;
    };
  }, []);

  useEffect(() => {
    instance.current?.setOption(option);
  }, [option]);

  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption>
        <strong>{label}</strong>
      </figcaption>
      <div
        ref={element}
        className="chart"
        role="img"
        aria-label={label}
        style={height ? { height } : undefined}
      />
      <details>
        <summary>Figures as a table</summary>
        {summary}
      </details>
    </figure>
  );
}
