import { createApp } from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { ServeOptions } from "../commands/serve.ts";
import { rebuildIfDerivationOutdated } from "./rebuild.ts";
import { untilStopSignal } from "./worker.ts";

/** `passage serve`: serves the API and UI until SIGINT or SIGTERM. */
export async function servePassage(options: ServeOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw CliErrors.usage.create(`--port must be an integer from 0 to 65535, got "${options.port}"`);
  }
  // The HTTP stack (Fastify, report rendering) loads only for the commands that serve.
  const { oidcOptionsFromEnvironment, startPassageService } = await import("@passage/server");
  const oidc = oidcOptionsFromEnvironment(process.env);
  const config = context.config({
    ...(options.host === undefined ? {} : { httpHost: options.host }),
    ...(port === undefined ? {} : { httpPort: port }),
  });
  const app = await createApp(config);
  try {
    await rebuildIfDerivationOutdated(app, await context.access(app), context.output);
    const service = await startPassageService(app, {
      host: config.http.host,
      port: config.http.port,
      logLevel: config.logLevel,
      oidc,
      secureCookies: process.env.PASSAGE_SECURE_COOKIES === "1" ? true : "auto",
      trustProxy: process.env.PASSAGE_TRUST_PROXY === "1",
    });
    // Listening for the stop signals before the URL is announced: a script that reads it and stops
    // the server at once gets a clean stop, not the signal's default action (exit with no status).
    const stopSignal = untilStopSignal();
    if (context.output.json) context.output.document({ url: service.url, api: `${service.url}/api/v1` });
    else context.output.line(`Passage is serving on ${service.url} (UI at /, API at /api/v1)`);
    context.output.note("SIGINT or SIGTERM stops the server");
    const signal = await stopSignal;
    context.output.note(`stopping (${signal})`);
    await service.stop();
  } finally {
    await app.shutdown();
  }
}
