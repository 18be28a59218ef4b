import {
  type CompiledBlockingRule,
  type CompiledModel,
  compileBlockingRule,
  compileModel,
  type LinkageModel,
  parseLinkageModelOrThrow,
} from "@passage/linkage";
import { findActiveLinkageModelVersion, findLinkageModel, type SqlExecutor } from "@passage/store";

/** A stored model made ready to score and block with. */
export interface ActiveModel {
  readonly version: number;
  readonly artefact: LinkageModel;
  readonly compiled: CompiledModel;
  readonly rules: readonly CompiledBlockingRule[];
}

/** Compiles a stored artefact (the settings it carries are the ones it was trained with). */
export function activeModelOf(version: number, artefact: LinkageModel): ActiveModel {
  const compiled = compileModel(artefact);
  const rules = artefact.settings.blockingRules.map((rule) => compileBlockingRule(rule, compiled.plan));
  return { version, artefact, compiled, rules };
}

/** Models compiled once per version; the active version is looked up on every call (it is one row). */
export interface ModelCache {
  /** The active model, or undefined when no batch link has trained one yet. */
  active(executor: SqlExecutor): Promise<ActiveModel | undefined>;
  version(executor: SqlExecutor, version: number): Promise<ActiveModel | undefined>;
  /** Puts a model the caller just built (a batch run), so the next lookup need not parse it. */
  remember(model: ActiveModel): void;
}

export function createModelCache(): ModelCache {
  const compiled = new Map<number, ActiveModel>();
  const cache: ModelCache = {
    async active(executor) {
      const version = await findActiveLinkageModelVersion(executor);
      return version === undefined ? undefined : cache.version(executor, version);
    },
    async version(executor, version) {
      const known = compiled.get(version);
      if (known) return known;
      const stored = await findLinkageModel(executor, version);
      if (!stored) return undefined;
      const model = activeModelOf(version, parseLinkageModelOrThrow(stored.artefact));
      cache.remember(model);
      return model;
    },
    remember(model) {
      // Two versions at most: the active one and the one being replaced.
      if (compiled.size >= 2 && !compiled.has(model.version)) compiled.delete(compiled.keys().next().value!);
      compiled.set(model.version, model);
    },
  };
  return cache;
}
