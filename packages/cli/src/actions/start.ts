import path from "node:path";
import { seedDemoUsers } from "@passage/access";
import {
  type App,
  createApp,
  type DemoStep,
  demoPopulationState,
  loadDemoPopulation,
  type PassageConfig,
  simulateDeparturesAs,
} from "@passage/engine";
import type { Command } from "commander";
import { type CommandContext, createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { StartOptions } from "../commands/start.ts";
import { createProgress, type Progress } from "../progress.ts";
import { rebuildIfDerivationOutdated } from "./rebuild.ts";

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
  // From here on a signal stops the command cleanly, whatever it is doing: before the demo is
  // served, the step under way is abandoned (what it committed is kept), the database is shut
  // down and the command fails with PASSAGE_ERR_CLI_INTERRUPTED; once served, it is the demo's
  // normal stop.
  const stop = stopSignals();
  try {
    const opening = createApp(config);
    const app = await stop.race(opening).catch(async (error: unknown) => {
      // Interrupted while the database started: it is stopped as soon as it is up.
      await opening.then((opened) => opened.shutdown()).catch(() => undefined);
      throw error;
    });
    await serveDemo(app, config, { persons, departureRate, seed: options.seed }, context, stop);
  } finally {
    stop.dispose();
  }
}

async function serveDemo(
  app: App,
  config: PassageConfig,
  options: { persons: number; departureRate: number; seed: string },
  context: CommandContext,
  stop: StopSignals,
): Promise<void> {
  const { persons, departureRate } = options;
  const stopSimulation = new AbortController();
  let failed = false;
  try {
    const access = await stop.race(context.access(app));
    const directory = path.join(config.dataDir, "demo-population");
    const state = await stop.race(demoPopulationState(app, directory));
    if (state.state === "loaded") {
      context.output.note(`using the records already in ${config.dataDir}`);
    } else {
      context.output.note(
        state.state === "interrupted"
          ? `finishing the interrupted load of ${state.persons} persons (seed ${state.seed}) into ${config.dataDir}`
          : `loading a synthetic population of ${persons} persons (seed ${options.seed}) into ${config.dataDir}`,
      );
      const progress = demoProgress();
      const report = await stop
        .race(
          loadDemoPopulation(app, {
            access,
            persons,
            seed: options.seed,
            directory,
            resume: state.state === "interrupted",
            signal: stop.signal,
            onProgress: progress.update,
          }),
        )
        .finally(progress.stop);
      context.output.note(
        (state.state === "interrupted"
          ? `finished the load: ${report.records} more records (${report.rejected} rejected), ${report.linkedPersons} persons; `
          : `loaded ${report.records} records (${report.rejected} rejected) into ${report.linkedPersons} persons; `) +
          `generated files and ground truth in ${report.directory}`,
      );
    }
    await stop.race(rebuildIfDerivationOutdated(app, access, context.output));
    // The address is bound before the demo users' passwords are reset: a start that cannot serve
    // (the port in use, say by the demo already running on this data dir) changes nothing, and the
    // passwords printed are the ones that work.
    const { oidcOptionsFromEnvironment, startPassageService } = await import("@passage/server");
    const starting = startPassageService(app, {
      host: config.http.host,
      port: config.http.port,
      logLevel: config.logLevel,
      oidc: oidcOptionsFromEnvironment(process.env),
      secureCookies: "auto",
      trustProxy: false,
    });
    const service = await stop.race(starting).catch(async (error: unknown) => {
      // Interrupted while it started: it is stopped before the database is shut down.
      await starting.then((started) => started.stop()).catch(() => undefined);
      throw error;
    });
    const users = await stop
      .race(
        access.run("user.write", { type: "Account", id: "demo-users" }, () =>
          seedDemoUsers(app.access.accounts),
        ),
      )
      .catch(async (error: unknown) => {
        await service.stop();
        throw error;
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
    const signal = await stop.received;
    context.output.note(`stopping (${signal})`);
    stopSimulation.abort();
    await simulation;
    await service.stop();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    stopSimulation.abort();
    // When the start failed, its error says what went wrong: a shutdown that fails for the same
    // cause (the database lost) must not replace it.
    await app.shutdown().catch((error: unknown) => {
      if (!failed) throw error;
    });
  }
}

/** SIGINT and SIGTERM, listened for from the command's start to its end. */
interface StopSignals {
  /** Resolves with the first signal's name. */
  readonly received: Promise<NodeJS.Signals>;
  /** Aborted at the first signal, its reason PASSAGE_ERR_CLI_INTERRUPTED. */
  readonly signal: AbortSignal;
  /** `work`, or PASSAGE_ERR_CLI_INTERRUPTED as soon as a signal comes (the work is abandoned). */
  race<T>(work: Promise<T>): Promise<T>;
  dispose(): void;
}

function stopSignals(): StopSignals {
  const controller = new AbortController();
  let resolveReceived: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveReceived = resolve;
  });
  // Kept for the whole command: a second Ctrl-C while the database stops does not kill the
  // process half-way (which would leave the server running).
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return;
    controller.abort(CliErrors.interrupted.create(signal));
    resolveReceived(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const interrupted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }),
  );
  interrupted.catch(() => undefined);
  return {
    received,
    signal: controller.signal,
    race(work) {
      // An abandoned step fails once the database is shut down under it: nobody waits for it.
      work.catch(() => undefined);
      return Promise.race([work, interrupted]);
    },
    dispose() {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    },
  };
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
