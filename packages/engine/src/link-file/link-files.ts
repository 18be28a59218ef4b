import fs from "node:fs";
import path from "node:path";
import {
  LINK_BANDS,
  type LinkFileEvaluation,
  parseLinkFileConfigOrThrow,
  runLinkFile,
  serialiseLinkageModel,
  type UnparsedDates,
} from "@passage/linkage";
import { LinkFileErrors } from "./link-file-errors.ts";
import { readCsvTable } from "./read-csv-table.ts";

/** What `passage link-file` was asked to do. */
export interface LinkFilesOptions {
  readonly configFile: string;
  readonly inputFiles: readonly string[];
  readonly pairsFile: string;
  readonly clustersFile?: string | undefined;
  /** A column of the inputs holding each row's true person, to evaluate against (never compared). */
  readonly truthColumn?: string | undefined;
  /** Where to write the trained model artefact, for inspection or reuse as `--config`. */
  readonly modelFile?: string | undefined;
}

export interface LinkFilesSummary {
  readonly records: number;
  readonly pairs: number;
  /** Pairs whose `decision` in pairs.csv is `link` (their records share a cluster). */
  readonly links: number;
  /** Pairs whose `decision` in pairs.csv is `review`. */
  readonly review: number;
  /** Of the review pairs, those at or above the link threshold that a safeguard held back. */
  readonly held: number;
  readonly clusters: number;
  readonly linkType: string;
  readonly evaluation: LinkFileEvaluation | undefined;
  /** Date columns some of whose values do not match the declared format (they counted as missing). */
  readonly unparsedDates: readonly UnparsedDates[];
  /**
   * Why the model holds built-in default parameters rather than trained ones (inputs of fewer
   * records than training needs), or null for a trained model.
   */
  readonly defaultParameters: string | null;
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<string, number>>;
}

/**
 * `passage link-file`: stateless file-to-file linkage. Reads the configuration and one or two
 * CSV inputs, links (one input: dedupe; two: across only), writes every scored pair and
 * optionally each record's cluster. Never touches the database; writes only the named files.
 */
export function linkFiles(options: LinkFilesOptions): LinkFilesSummary {
  const config = parseLinkFileConfigOrThrow(readJson(options.configFile), path.basename(options.configFile));
  // Checked before linking, so that a bad --out fails at once and never after a half-written output.
  const outputs: [string, string | undefined][] = [
    ["pairs", options.pairsFile],
    ["clusters", options.clustersFile],
    ["model", options.modelFile],
  ];
  // Files are told apart by what they are, not how they are named: a symbolic or hard link to an
  // input given as --out would otherwise overwrite that input.
  const readFiles = [options.configFile, ...options.inputFiles].map(fileIdentity);
  const written = new Set<string>();
  for (const [role, file] of outputs) {
    if (file === undefined) continue;
    checkWritable(role, file);
    const identity = fileIdentity(file);
    if (readFiles.includes(identity))
      throw LinkFileErrors.outputUnwritable.create(role, file, "it is one of the files link-file reads");
    if (written.has(identity))
      throw LinkFileErrors.outputUnwritable.create(role, file, "another output is written to the same file");
    written.add(identity);
  }
  const started = performance.now();
  const inputs = options.inputFiles.map((file) => readCsvTable(file));
  const readMilliseconds = performance.now() - started;
  const result = runLinkFile(
    config,
    inputs,
    options.truthColumn === undefined ? {} : { truthColumn: options.truthColumn },
  );
  if (options.clustersFile !== undefined && inputs.length === 2) {
    const firstIds = new Set(inputs[0]!.rows.map((row) => row[config.idColumn]?.trim()));
    const shared = inputs[1]!.rows.find((row) => firstIds.has(row[config.idColumn]?.trim()));
    if (shared) throw LinkFileErrors.idsAmbiguous.create(shared[config.idColumn]!.trim());
  }
  const writeStarted = performance.now();
  const pairLines = ["left_id,right_id,match_weight,match_probability,decision"];
  for (const pair of result.pairs) {
    pairLines.push(
      `${csvField(pair.leftId)},${csvField(pair.rightId)},${pair.matchWeight.toFixed(4)},${pair.matchProbability.toPrecision(8)},${pair.decision}`,
    );
  }
  fs.writeFileSync(options.pairsFile, `${pairLines.join("\n")}\n`);
  if (options.clustersFile !== undefined) {
    const clusterLines = [
      "id,cluster_id",
      ...result.clusters.map((row) => `${csvField(row.id)},${csvField(row.clusterId)}`),
    ];
    fs.writeFileSync(options.clustersFile, `${clusterLines.join("\n")}\n`);
  }
  if (options.modelFile !== undefined) {
    const document = { ...JSON.parse(serialiseLinkageModel(result.batch.model)), id: config.idColumn };
    fs.writeFileSync(options.modelFile, `${JSON.stringify(document, null, 2)}\n`);
  }
  // Counted from the decisions pairs.csv states, so that the summary and the file agree: a pair
  // in the auto-link band that a safeguard held back is a review, not a link.
  const bands = result.batch.pairs.band;
  const autoLink = LINK_BANDS.indexOf("auto_link");
  let links = 0;
  let review = 0;
  let held = 0;
  result.pairs.forEach((pair, index) => {
    if (pair.decision === "link") links += 1;
    else if (pair.decision === "review") {
      review += 1;
      if (bands[index] === autoLink) held += 1;
    }
  });
  return {
    records: result.batch.records.length,
    pairs: result.pairs.length,
    links,
    review,
    held,
    clusters: result.batch.clustering.clusters.length,
    linkType: result.batch.model.settings.linkType,
    evaluation: result.evaluation,
    unparsedDates: result.unparsedDates,
    defaultParameters: result.batch.model.training.defaultParameters?.reason ?? null,
    timings: { read: readMilliseconds, ...result.batch.timings, write: performance.now() - writeStarted },
  };
}

function checkWritable(role: string, file: string): void {
  const directory = path.dirname(path.resolve(file));
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory())
    throw LinkFileErrors.outputUnwritable.create(role, file, `no directory ${directory}`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw LinkFileErrors.outputUnwritable.create(role, file, "it is a directory");
  try {
    fs.accessSync(directory, fs.constants.W_OK);
  } catch {
    throw LinkFileErrors.outputUnwritable.create(role, file, `directory ${directory} is not writable`);
  }
}

/**
 * What a path names, whatever links lead to it: an existing file's device and inode (so symbolic
 * and hard links to one file agree), or for a file not yet created the real path it will be
 * created at (its directory's real path, after following a dangling symbolic link).
 */
function fileIdentity(file: string): string {
  const existing = fs.statSync(file, { throwIfNoEntry: false });
  if (existing !== undefined) return `inode ${existing.dev}:${existing.ino}`;
  let target = path.resolve(file);
  // A dangling link is written through to its target; 40 is the kernel's own limit on links followed.
  for (let hops = 0; hops < 40; hops += 1) {
    const entry = fs.lstatSync(target, { throwIfNoEntry: false });
    if (entry === undefined || !entry.isSymbolicLink()) break;
    target = path.resolve(path.dirname(target), fs.readlinkSync(target));
  }
  try {
    return `path ${path.join(fs.realpathSync(path.dirname(target)), path.basename(target))}`;
  } catch {
    return `path ${target}`;
  }
}

function readJson(file: string): unknown {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw LinkFileErrors.fileNotFound.create("configuration", file);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw LinkFileErrors.configNotJson.create(file, (error as Error).message);
  }
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
