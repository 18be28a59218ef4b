import type { AddressInfo } from "node:net";
import { type App, type ConsumerRunner, createProjectionRunner, createStderrLogger } from "@passage/engine";
import type { FastifyInstance } from "fastify";
import { createPassageServer, type PassageServerOptions } from "./create-passage-server.ts";
import { ServerErrors } from "./server-errors.ts";

export interface PassageServiceOptions extends PassageServerOptions {
  readonly host: string;
  readonly port: number;
  /** How often date-driven status changes are re-derived (default 15 minutes). */
  readonly refreshEveryMs?: number;
  /** Where background failures are reported (default: stderr). */
  readonly onError?: (what: string, error: unknown) => void;
}

/** A running Passage service: the HTTP server, the projection runner and the refresh of due statuses. */
export interface PassageService {
  readonly server: FastifyInstance;
  readonly runner: ConsumerRunner;
  /** `http://host:port` as bound. */
  readonly url: string;
  /** Stops taking requests, lets the projections' batches in flight commit, stops refreshing. */
  stop(): Promise<void>;
}

const DEFAULT_REFRESH_MS = 15 * 60 * 1000; // 15 minutes: deadlines are days apart

/**
 * What `passage serve` (and the demo) run over an app: the projection runner started (lifecycle ->
 * worklist -> manifest strikes as events arrive), statuses whose change is due by date alone
 * re-derived at start and periodically, and the API and UI listening. The app is the caller's.
 */
export async function startPassageService(app: App, options: PassageServiceOptions): Promise<PassageService> {
  const report =
    options.onError ??
    ((what: string, error: unknown) =>
      process.stderr.write(
        `passage: ${what} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      ));
  const runner = createProjectionRunner(app, {
    logger: createStderrLogger("projections", app.config.logLevel),
  });
  await runner.start();
  let refreshing: Promise<unknown> | undefined;
  const refresh = () => {
    refreshing ??= app.lifecycle
      .refreshDue()
      .catch((error) => report("refreshing date-driven statuses", error))
      .finally(() => {
        refreshing = undefined;
      });
  };
  refresh();
  const timer = setInterval(refresh, options.refreshEveryMs ?? DEFAULT_REFRESH_MS);
  timer.unref();
  let server: FastifyInstance | undefined;
  try {
    server = await createPassageServer(app, {
      ...options,
      consumerLag: options.consumerLag ?? (() => runner.lag()),
    });
    await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    // Everything started is stopped before the caller hears of the failure (and shuts the app
    // down): a refresh still running would otherwise fail on a closed pool.
    clearInterval(timer);
    await server?.close();
    await refreshing;
    await runner.stop();
    throw listenErrorOf(error, options.host, options.port);
  }
  const address = server.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;
  return {
    server,
    runner,
    url: `http://${host}:${address.port}`,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await server.close();
        await refreshing;
        await runner.stop();
      })();
      return stopped;
    },
  };
}

/** A failure to listen as a coded error naming the address; any other error as it is. */
function listenErrorOf(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") return ServerErrors.addressInUse.create(host, port);
  if (code === "EADDRNOTAVAIL" || code === "EACCES" || code === "ENOTFOUND") {
    return ServerErrors.addressUnavailable.create(host, port, (error as Error).message);
  }
  return error;
}
