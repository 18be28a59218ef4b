import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
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
<code>npm run build -w @passage/web</code> and restart <code>passage serve</code>.</p>
</body></html>
`;

/**
 * Serves the web UI at `/` as a single-page app: files of the build as they are, `index.html` for
 * every other path that is not under /api/. Without a build, `/` says how to make one.
 */
export async function registerWebSite(server: FastifyInstance, directory: string | null): Promise<void> {
  const built = directory !== null && existsSync(path.join(directory, "index.html"));
  if (built) {
    await server.register(fastifyStatic, {
      root: directory,
      prefix: "/",
      wildcard: false,
      index: ["index.html"],
    });
  }
  server.get("/*", async (request, reply) => {
    // A missing script or style of the build is a 404, not the app's page under its name.
    if (isApiRequest(request) || normalisedPathOf(request.url).startsWith("/assets/")) {
      throw ServerErrors.notFound.create(request.method, request.url);
    }
    if (!built) return reply.type("text/html; charset=utf-8").send(NOT_BUILT_PAGE);
    return reply.type("text/html; charset=utf-8").sendFile("index.html");
  });
  if (!built)
    server.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(NOT_BUILT_PAGE));
}
