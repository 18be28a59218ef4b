import type { Command } from "commander";

/** Options of `passage serve`. */
export interface ServeOptions {
  readonly port?: string;
  readonly host?: string;
}

/**
 * `passage serve [--port N] [--host 127.0.0.1]` (CLI.md): migrates an empty database (seeds
 * nothing), runs the projections and serves the API under /api/v1 and the built UI at `/` until
 * SIGINT or SIGTERM, then stops cleanly (exit 0). The URL goes to stdout (one JSON document with
 * `--json`); logs go to stderr.
 */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the API (/api/v1) and the web UI (/) on this data directory")
    .option("--port <n>", "TCP port (default $PASSAGE_PORT or 8080; 0 picks a free one)")
    .option("--host <address>", "address to bind (default $PASSAGE_HOST or 127.0.0.1)")
    .action(async (options: ServeOptions, command: Command) => {
      const { servePassage } = await import("../actions/serve.ts");
      await servePassage(options, command);
    });
}
