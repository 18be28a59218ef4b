import { useEffect, useState } from "react";
import { type DepartureMetrics, departureStreamUrl } from "../../api/departure-api.ts";

/** Where the live connection stands: the browser's EventSource reconnects by itself after a drop. */
export type StreamConnection = "connecting" | "live" | "reconnecting" | "closed";

export interface DepartureStream {
  readonly metrics: DepartureMetrics | null;
  readonly connection: StreamConnection;
  /** Documents received since the page opened (the first included). */
  readonly received: number;
}

/**
 * Subscribes to the departures stream (server-sent events, same origin, the session cookie) and
 * keeps the latest metrics document. A refused stream (signed out, role withdrawn) is not retried
 * by the browser: the connection then reads `closed`. The stated purpose of use is sent with the
 * stream (in its query) so that its audited reads say why it was opened; a new purpose reopens it.
 */
export function useDepartureStream(purpose: string): DepartureStream {
  const [state, setState] = useState<DepartureStream>({
    metrics: null,
    connection: "connecting",
    received: 0,
  });
  useEffect(() => {
    const source = new EventSource(departureStreamUrl(purpose));
    const onMetrics = (event: MessageEvent<string>) => {
      const metrics = JSON.parse(event.data) as DepartureMetrics;
      setState((previous) => ({ metrics, connection: "live", received: previous.received + 1 }));
    };
    source.addEventListener("metrics", onMetrics);
    source.onopen = () => setState((previous) => ({ ...previous, connection: "live" }));
    source.onerror = () =>
      setState((previous) => ({
        ...previous,
        connection: source.readyState === EventSource.CLOSED ? "closed" : "reconnecting",
      }));
    return () => {
      source.removeEventListener("metrics", onMetrics);
      source.close();
    };
  }, [purpose]);
  return state;
}
