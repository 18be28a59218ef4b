// The `passage` command's sources bundled for a fast start. Through tsx's loader every module of
// the command (several hundred, node_modules included) takes a round trip to the loader's thread,
// which cost about two seconds of every command's start; one bundle of plain JavaScript loads
// without any loader. The bundle is derived from the sources, never edited or committed: esbuild
// (which tsx already brings) writes it under node_modules/.cache/passage-cli/ on the first run
// after any of its inputs changed, split at every dynamic import (each command's action loads
// only when that command runs); packages from node_modules stay separate modules. When it cannot
// be built, or another process is building it, the command runs from its sources through tsx.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Changes whenever the way the bundle is built changes, so that older bundles are not reused. */
const FORMAT = 1;
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CACHE = path.join(ROOT, "node_modules", ".cache", "passage-cli");
const STAMP = path.join(CACHE, "current.json");
const LOCK = path.join(CACHE, "build.lock");
const ENTRY = "packages/cli/src/main.ts";
/** Files esbuild reads besides the modules it bundles: package manifests and compiler settings. */
const SETTINGS = ["tsconfig.json", "tsconfig.base.json", "packages/cli/bin/cli-bundle.js"];
/**
 * Packages bundled with our sources rather than loaded from node_modules: plain JavaScript
 * modules that only our packages (and each other) import, many files each (kysely 262, the CEL
 * packages 125), every one a module for Node to resolve, read and compile at every start. A
 * package another installed package also depends on stays external, or there would be two copies
 * of it (see `bundlable`).
 */
const BUNDLED_PACKAGES = [
  "kysely",
  "@bufbuild/cel",
  "@bufbuild/cel-spec",
  "@bufbuild/protobuf",
  "@bufbuild/re2",
];
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 120_000;
/**
 * Older builds (5 MB each with source maps) are removed once there are more than this many, but
 * not within an hour of being made: a command still running from one loads its error reporting
 * from it only if it fails.
 */
const KEEP_BUILDS = 5;
const KEEP_RECENT_BUILDS_MS = 3_600_000;

/**
 * The URL of the bundle's entry if a bundle of the current sources exists: every input it was
 * built from still has the size and modification time recorded then. Costs one stat per input.
 */
export function freshBundleEntry() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return undefined;
  }
  if (stamp.format !== FORMAT || stamp.node !== process.versions.node) return undefined;
  for (const [file, size, modified] of stamp.inputs) {
    let stat;
    try {
      stat = fs.statSync(path.join(ROOT, file));
    } catch {
      return undefined;
    }
    if (stat.size !== size || stat.mtimeMs !== modified) return undefined;
  }
  const entry = path.join(CACHE, stamp.build, "main.js");
  return fs.existsSync(entry) ? pathToFileURL(entry).href : undefined;
}

/**
 * Builds the bundle of the current sources and returns the URL of its entry, or undefined when it
 * cannot be built here (no esbuild, a read-only tree, an unsupported construct in a source) or
 * another process is building it right now. Prints nothing: a command's output stays its own.
 */
export async function buildBundleEntry() {
  if (!fs.existsSync(path.join(ROOT, "node_modules")) || !takeLock()) return undefined;
  let esbuild;
  try {
    esbuild = await import("esbuild");
    const started = Date.now();
    const build = `build-${started.toString(36)}-${process.pid}`;
    const outdir = path.join(CACHE, build);
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { main: ENTRY },
      outdir,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: `node${process.versions.node.split(".")[0]}`,
      // As tsx compiles: functions and classes keep their names.
      keepNames: true,
      sourcemap: "linked",
      chunkNames: "chunks/[name]-[hash]",
      metafile: true,
      logLevel: "silent",
      plugins: [passageSources()],
    });
    // Which sources each chunk holds (tests map the chunks a command loads back to its sources).
    fs.writeFileSync(path.join(outdir, "meta.json"), JSON.stringify(result.metafile));
    // A bundled package from node_modules changes only with its version: its manifest stands for it.
    const sources = Object.keys(result.metafile.inputs).map((file) =>
      file.startsWith("node_modules/") ? packageManifestOf(file) : file,
    );
    const inputs = [];
    for (const file of new Set([...sources, ...SETTINGS, ...packageManifests()])) {
      const stat = fs.statSync(path.join(ROOT, file));
      // A source saved while esbuild read it may be in the bundle in its older state: use this
      // build for this run only, and build again next time.
      if (stat.mtimeMs >= started - 1000) return pathToFileURL(path.join(outdir, "main.js")).href;
      inputs.push([file, stat.size, stat.mtimeMs]);
    }
    const temporary = `${STAMP}.${process.pid}`;
    fs.writeFileSync(
      temporary,
      JSON.stringify({ format: FORMAT, node: process.versions.node, build, inputs }),
    );
    fs.renameSync(temporary, STAMP);
    removeOldBuilds(build);
    return pathToFileURL(path.join(outdir, "main.js")).href;
  } catch (error) {
    if (process.env.PASSAGE_DEBUG) process.stderr.write(`passage: no bundle (${String(error)})\n`);
    return undefined;
  } finally {
    fs.rmSync(LOCK, { force: true });
    // esbuild's service process would otherwise live as long as the command.
    await esbuild?.stop();
  }
}

function takeLock() {
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    fs.closeSync(fs.openSync(LOCK, "wx"));
    return true;
  } catch (error) {
    if (error?.code !== "EEXIST") return false;
  }
  try {
    if (Date.now() - fs.statSync(LOCK).mtimeMs < STALE_LOCK_MS) return false;
    fs.rmSync(LOCK, { force: true });
    fs.closeSync(fs.openSync(LOCK, "wx"));
    return true;
  } catch {
    return false;
  }
}

function packageManifests() {
  return fs
    .readdirSync(path.join(ROOT, "packages"))
    .map((name) => `packages/${name}/package.json`)
    .filter((file) => fs.existsSync(path.join(ROOT, file)));
}

function packageManifestOf(file) {
  const parts = file.split("/");
  return [...parts.slice(0, parts[1].startsWith("@") ? 3 : 2), "package.json"].join("/");
}

function removeOldBuilds(current) {
  const builds = fs
    .readdirSync(CACHE)
    .filter((name) => name.startsWith("build-") && name !== current)
    .map((name) => ({ directory: path.join(CACHE, name), made: fs.statSync(path.join(CACHE, name)).mtimeMs }))
    .sort((a, b) => b.made - a.made);
  for (const { directory, made } of builds.slice(KEEP_BUILDS - 1)) {
    if (Date.now() - made > KEEP_RECENT_BUILDS_MS) fs.rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * Our packages are bundled; every other package stays an import of node_modules, resolved at run
 * time from the bundle's directory, so it must be the same package the source would get. A
 * source's `import.meta.url` (file next to it: policies, worker entries, data) becomes the
 * source's own URL, as when it runs through tsx.
 */
function passageSources() {
  return {
    name: "passage-sources",
    setup(build) {
      const bundled = BUNDLED_PACKAGES.filter(bundlable);
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@passage/") || args.path.startsWith("node:")) return undefined;
        const name = args.path
          .split("/")
          .slice(0, args.path.startsWith("@") ? 2 : 1)
          .join("/");
        const fromSource = nearestPackage(args.resolveDir, name);
        if (fromSource !== path.join(ROOT, "node_modules", name)) {
          throw new Error(`${name} imported from ${args.importer} is not the root node_modules' copy`);
        }
        return bundled.includes(name) ? undefined : { external: true };
      });
      build.onLoad({ filter: /\/packages\/[^/]+\/src\/.*\.(ts|mts|js|mjs)$/ }, (args) => {
        const text = fs.readFileSync(args.path, "utf8");
        const loader = /\.m?ts$/.test(args.path) ? "ts" : "js";
        if (!text.includes("import.meta")) return { contents: text, loader };
        const contents = text
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
        if (contents.includes("import.meta"))
          throw new Error(`${args.path} uses import.meta beyond url, dirname and filename`);
        return { contents, loader };
      });
    },
  };
}

/** Whether no installed package but ours and the bundled ones depends on `name` (so bundling it makes no second copy). */
function bundlable(name) {
  const modules = path.join(ROOT, "node_modules");
  const packages = fs
    .readdirSync(modules)
    .filter((entry) => !entry.startsWith(".") && entry !== "@passage")
    .flatMap((entry) =>
      entry.startsWith("@")
        ? fs.readdirSync(path.join(modules, entry)).map((scoped) => `${entry}/${scoped}`)
        : [entry],
    );
  return packages.every((entry) => {
    if (BUNDLED_PACKAGES.includes(entry)) return true;
    let manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(modules, entry, "package.json"), "utf8"));
    } catch {
      return true;
    }
    return ![manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies].some(
      (dependencies) => dependencies && name in dependencies,
    );
  });
}

function nearestPackage(directory, name) {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, "node_modules", name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}
