import path from "node:path";
import { seedDemoUsers } from "@passage/access";
import {
  createApp,
  type DemoStep,
  hasRecords,
  loadDemoPopulation,
  simulateDeparturesAs,
} from "@passage/engine";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { StartOptions } from "../commands/start.ts";
import { createProgress, type Progress } from "../progress.ts";
import { untilStopSignal } from "./worker.ts";

/**
 * `passage start`: loads the demo population if needed, then serves the demo; each step that
 * touches the database is authorized and audited for the command's actor, as on its own.
 */
export async function startDemo(options: StartOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const persons = wholeNumber("--persons", options.persons, 1, 1_000_000);
  const departureRate = Number(options.departureRate);
  if (!Number.isFinite(departureRate) || departureRate < 0 || departureRate > 1000) {
    throw CliErrors.usage.create(
      `--departure-rate must be a number from 0 to 1000, got "${options.departureRate}"`,
    );
  }
  const port = options.port === undefined ? undefined : wholeNumber("--port", options.port, 0, 65535);
  const config = context.config({
    ...(options.host === undefined ? {} : { httpHost: options.host }),
    ...(port === undefined ? {} : { httpPort: port }),
  });
  const app = await createApp(config);
  const stopSimulation = new AbortController();
  try {
    const access = await context.access(app);
    if (await hasRecords(app)) {
      context.output.note(`using the records already in ${config.dataDir}`);
    } else {
      context.output.note(
        `loading a synthetic population of ${persons} persons (seed ${options.seed}) into ${config.dataDir}`,
      );
      const progress = demoProgress();
      const report = await loadDemoPopulation(app, {
        access,
        persons,
        seed: options.seed,
        directory: path.join(config.dataDir, "demo-population"),
        onProgress: progress.update,
      }).finally(progress.stop);
      context.output.note(
        `loaded ${report.records} records (${report.rejected} rejected) into ${report.linkedPersons} persons; ` +
          `generated files and ground truth in ${report.directory}`,
      );
    }
    const users = await access.run("user.write", { type: "Account", id: "demo-users" }, () =>
      seedDemoUsers(app.access.accounts),
    );
    const { oidcOptionsFromEnvironment, startPassageService } = await import("@passage/server");
    const service = await startPassageService(app, {
      host: config.http.host,
      port: config.http.port,
      logLevel: config.logLevel,
      oidc: oidcOptionsFromEnvironment(process.env),
      secureCookies: "auto",
      trustProxy: false,
    });
    const simulation =
      departureRate > 0
        ? simulateDeparturesAs(access, app.store, {
            rate: departureRate,
            signal: stopSimulation.signal,
          }).catch((error) =>
            context.output.note(
              `departure simulation stopped: ${error instanceof Error ? error.message : String(error)}`,
            ),
          )
        : Promise.resolve();
    if (context.output.json) {
      context.output.document({ url: service.url, users });
    } else {
      context.output.line(`Passage demo: ${service.url}`);
      context.output.line(
        departureRate > 0 ? `simulated departures: ${departureRate} per second` : "simulated departures: off",
      );
      context.output.line("demo users (passwords are new at every start):");
      for (const user of users) {
        context.output.line(`  ${user.username.padEnd(20)} ${user.password}  ${user.roles.join(", ")}`);
      }
    }
    context.output.note("SIGINT or SIGTERM stops the demo");
    const signal = await untilStopSignal();
    context.output.note(`stopping (${signal})`);
    stopSimulation.abort();
    await simulation;
    await service.stop();
  } finally {
    stopSimulation.abort();
    await app.shutdown();
  }
}

/** One progress bar per step of loading the demo, on stderr. */
function demoProgress(): { update: (step: DemoStep) => void; stop: () => void } {
  let current: { label: string; bar: Progress } | undefined;
  return {
    update(step) {
      const label =
        step.step === "ingest"
          ? `ingest ${step.feed}`
          : step.step === "link"
            ? `link: ${step.phase}`
            : step.step;
      if (current?.label !== label) {
        current?.bar.stop();
        const unit = step.step === "ingest" ? "bytes" : step.step === "link" ? "records" : "persons";
        current = { label, bar: createProgress(label, unit) };
      }
      current.bar.update(step.done, step.total);
    },
    stop() {
      current?.bar.stop();
    },
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw CliErrors.usage.create(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
