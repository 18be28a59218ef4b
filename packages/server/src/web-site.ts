import { existsSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isApiRequest, normalisedPathOf } from "./route-access.ts";
import { ServerErrors } from "./server-errors.ts";

/** Where the web engineer's Vite build lands: `packages/web/dist`. */
export function defaultWebDirectory(): string {
  const serverEntry = createRequire(import.meta.url).resolve("@passage/server");
  return path.resolve(path.dirname(serverEntry), "..", "..", "web", "dist");
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passage</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Passage</h1>
<p>Passage is an auditable immigration case lifecycle platform: linked records, legal status with evidence,
due-process gates, transport plans and a tamper-evident audit log. The API is running at
<a href="/api/v1/openapi.json">/api/v1</a>.</p>
<p><strong>The web interface has not been built.</strong> Build it with
<code>npm run build -w @passage/web</code> and reload this page.</p>
</body></html>
`;

/** Vite names the files under `assets/` by their content's hash, so a name never changes meaning. */
const HASHED_ASSET_CACHE = "public, max-age=31536000, immutable";
/** `index.html` and unhashed files are asked for again each time: they name the current bundle. */
const REVALIDATE = "no-cache";

/**
 * Serves the web UI at `/` as a single-page app: files of the build as they are, `index.html` for
 * every other path that is not under /api/. The build is looked up per request, not listed at start,
 * so a rebuild of `dist` while the server runs is served whole: the new `index.html` names assets
 * that exist. Without a build, `/` says how to make one.
 */
export async function registerWebSite(server: FastifyInstance, directory: string | null): Promise<void> {
  if (directory !== null) {
    // Only for `reply.sendFile` (ranges, ETag, content type); the routes are ours, confined below.
    await server.register(fastifyStatic, { root: directory, serve: false, suppressWarning: true });
  }
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (isApiRequest(request)) throw ServerErrors.notFound.create(request.method, request.url);
    if (directory === null || !existsSync(path.join(directory, "index.html"))) {
      return reply.header("cache-control", REVALIDATE).type("text/html; charset=utf-8").send(NOT_BUILT_PAGE);
    }
    const file = await fileOfBuild(directory, request.url);
    if (file !== null) {
      const hashed = file.startsWith("assets/");
      reply.header("cache-control", hashed ? HASHED_ASSET_CACHE : REVALIDATE);
      return reply.sendFile(file, { cacheControl: false });
    }
    // A missing script or style of the build is a 404, not the app's page under its name.
    const requested = normalisedPathOf(request.url);
    if (requested === "/assets" || requested.startsWith("/assets/")) {
      throw ServerErrors.notFound.create(request.method, request.url);
    }
    reply.header("cache-control", REVALIDATE).type("text/html; charset=utf-8");
    return reply.sendFile("index.html", { cacheControl: false });
  };
  server.get("/", handler);
  server.get("/*", handler);
}

/**
 * The regular file of the build a request path names, relative to the build, or null: no directory
 * (so no listing), nothing outside the build (dot-dot segments, a link leading out of it).
 */
async function fileOfBuild(directory: string, url: string): Promise<string | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(url.split(/[?#]/, 1)[0] ?? "").replace(/^\/+/, "");
  } catch {
    return null;
  }
  const segments = relative.split("/");
  if (relative === "" || relative.includes("\\") || relative.includes("\0")) return null;
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return null;
  try {
    const root = await realpath(directory);
    const resolved = await realpath(path.join(root, ...segments));
    if (!resolved.startsWith(root + path.sep)) return null;
    if (!(await stat(resolved)).isFile()) return null;
  } catch {
    return null;
  }
  return segments.join("/");
}
