import type { Command } from "commander";

/** Options of `passage start`. */
export interface StartOptions {
  readonly persons: string;
  readonly seed: string;
  readonly port?: string;
  readonly host?: string;
  readonly departureRate: string;
}

/**
 * `passage start` (CLI.md): the whole demo on the embedded PostgreSQL. On an empty database it
 * generates a synthetic population and takes it through the real pipeline (ingest every feed,
 * link, derive statuses, gates and worklists); then it resets the demo users' passwords, serves
 * the UI and API, keeps a simulated departure stream running, and prints the URL and the users.
 */
export function registerStartCommand(program: Command): void {
  program
    .command("start")
    .description("the demo: embedded database, synthetic population, live departures, UI and API")
    .option("--persons <n>", "persons in the synthetic population loaded into an empty database", "20000")
    .option("--seed <s>", "seed of the synthetic population", "1")
    .option("--port <n>", "TCP port (default $PASSAGE_PORT or 8080; 0 picks a free one)")
    .option("--host <address>", "address to bind (default $PASSAGE_HOST or 127.0.0.1)")
    .option("--departure-rate <n>", "simulated departure records per second (0 turns the stream off)", "0.5")
    .action(async (options: StartOptions, command: Command) => {
      const { startDemo } = await import("../actions/start.ts");
      await startDemo(options, command);
    });
}
