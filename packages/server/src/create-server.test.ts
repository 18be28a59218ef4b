import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createServer } from "./create-server.ts";
import type { Authenticator, RequestActor } from "./plugins/authentication.ts";
import { registerHealthRoutes } from "./routes/health-routes.ts";
import { registerWebSite } from "./web-site.ts";

const officer: RequestActor = { id: "u-officer", roles: ["removal_officer"] };
const auditor: RequestActor = { id: "u-auditor", roles: ["auditor"] };
const tokens: Record<string, RequestActor> = { officer, auditor };

const authenticator: Authenticator = {
  async authenticate(request) {
    const token = request.headers.authorization?.replace(/^Bearer /, "");
    return token ? tokens[token] : undefined;
  },
  mayPerform(actor, action) {
    return action === "audit.read"
      ? actor.roles.includes("auditor")
      : actor.roles.includes("removal_officer");
  },
};

let server: FastifyInstance;
let databaseUp = true;
beforeAll(async () => {
  server = await createServer({
    authenticator,
    logLevel: "silent",
    routes: async (api) => {
      await registerHealthRoutes(api, {
        pingDatabase: async () => {
          if (!databaseUp) throw new Error("down");
        },
        version: "test",
      });
      api.withTypeProvider<ZodTypeProvider>().post(
        "/things",
        {
          config: { access: { action: "thing.write" } },
          schema: { body: z.object({ name: z.string().min(1) }) },
        },
        async (request) => ({ created: request.body.name, by: request.actor?.id }),
      );
      api.get("/audit", { config: { access: { action: "audit.read" } } }, async () => ({ entries: [] }));
      api.withTypeProvider<ZodTypeProvider>().get(
        "/things/:id",
        {
          config: { access: { action: "thing.write" } },
          schema: { params: z.object({ id: z.string().min(1).max(200) }) },
        },
        async (request) => ({ id: request.params.id }),
      );
      api.get("/boom", { config: { access: { action: "thing.write" } } }, async () => {
        throw new Error("secret internals");
      });
    },
  });
});
afterAll(async () => {
  await server.close();
});

describe("HTTP layer", () => {
  it("answers an anonymous caller 401 before reading the body", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/api/v1/things",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_UNAUTHENTICATED");
  });

  it("answers an authenticated caller without the right 403, before validation", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/api/v1/things",
      headers: { authorization: "Bearer auditor", "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      code: "PASSAGE_ERR_HTTP_FORBIDDEN",
      details: { action: "thing.write" },
    });
  });

  it("validates bodies of permitted callers with a coded 400", async () => {
    const response = await server.inject({
      method: "POST",
      url: "/api/v1/things",
      headers: { authorization: "Bearer officer" },
      payload: { name: "" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_INVALID_REQUEST");
    const ok = await server.inject({
      method: "POST",
      url: "/api/v1/things",
      headers: { authorization: "Bearer officer" },
      payload: { name: "x" },
    });
    expect(ok.json()).toEqual({ created: "x", by: "u-officer" });
  });

  it("serves health, metrics and the OpenAPI 3.1 document without a session", async () => {
    expect((await server.inject("/api/v1/health")).json()).toEqual({
      status: "ok",
      database: "ok",
      version: "test",
    });
    databaseUp = false;
    expect((await server.inject("/api/v1/health")).statusCode).toBe(503);
    databaseUp = true;
    expect((await server.inject("/api/v1/metrics")).body).toContain("passage_http_request_duration_seconds");
    const document = (await server.inject("/api/v1/openapi.json")).json();
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/api/v1/health", "/api/v1/things"]));
    // The error body and the failures each operation may answer, and the purpose header.
    const error = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
    expect(document.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
    const things = document.paths["/api/v1/things"].post;
    for (const status of ["400", "401", "403", "429", "500"])
      expect(things.responses[status].content).toEqual(error);
    expect(things.parameters).toContainEqual({ $ref: "#/components/parameters/Purpose" });
    expect(document.components.parameters.Purpose).toMatchObject({ name: "x-passage-purpose", in: "header" });
    const health = document.paths["/api/v1/health"].get;
    expect(health.responses["401"]).toBeUndefined();
    expect(health.parameters ?? []).not.toContainEqual({ $ref: "#/components/parameters/Purpose" });
  });

  it("hides internals of unexpected errors behind a bare 500", async () => {
    const response = await server.inject({
      url: "/api/v1/boom",
      headers: { authorization: "Bearer officer" },
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret");
  });

  it("sets security headers and answers unknown operations with a coded 404", async () => {
    const response = await server.inject({
      url: "/api/v1/nothing-here",
      headers: { authorization: "Bearer officer" },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_NOT_FOUND");
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["strict-transport-security"]).toContain("max-age=");
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });

  it("routes path parameters as long as their schemas accept, and lets the schema refuse longer ones", async () => {
    const get = (id: string) =>
      server.inject({ url: `/api/v1/things/${id}`, headers: { authorization: "Bearer officer" } });
    // The router's default (maxParamLength 100) answered these "no operation" (404).
    for (const length of [101, 150, 200]) {
      const id = "k".repeat(length);
      const response = await get(id);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id });
    }
    const tooLong = await get("k".repeat(201));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe("PASSAGE_ERR_HTTP_INVALID_REQUEST");
  });

  it("refuses to register an API route that does not declare its access", async () => {
    await expect(
      createServer({
        authenticator,
        logLevel: "silent",
        routes: async (api) => {
          api.get("/open-by-mistake", async () => ({}));
        },
      }),
    ).rejects.toThrow(/declares no config.access/);
  });
});

describe("the web site", () => {
  it("serves the app's page for its routes, and 404 for a missing file of the build", async () => {
    const build = mkdtempSync(path.join(tmpdir(), "passage-web-"));
    writeFileSync(path.join(build, "index.html"), "<!doctype html><title>Passage</title>");
    const site = await createServer({
      authenticator,
      logLevel: "silent",
      routes: async () => undefined,
      site: (instance) => registerWebSite(instance, build),
    });
    try {
      const page = await site.inject("/worklist");
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("<title>Passage</title>");
      const missing = await site.inject("/assets/index-deadbeef.js");
      expect(missing.statusCode).toBe(404);
      expect(missing.headers["content-type"]).toContain("application/json");
    } finally {
      await site.close();
      rmSync(build, { recursive: true, force: true });
    }
  });

  it("serves a bundle rebuilt while it runs: the new page and the new hashed assets it names", async () => {
    const build = mkdtempSync(path.join(tmpdir(), "passage-web-"));
    const outside = mkdtempSync(path.join(tmpdir(), "passage-outside-"));
    mkdirSync(path.join(build, "assets"));
    writeFileSync(path.join(build, "assets", "index-Old1.js"), "console.log('old')");
    writeFileSync(path.join(build, "index.html"), '<script src="/assets/index-Old1.js"></script>');
    writeFileSync(path.join(outside, "secret.txt"), "kept-outside-the-build");
    const site = await createServer({
      authenticator,
      logLevel: "silent",
      routes: async () => undefined,
      site: (instance) => registerWebSite(instance, build),
    });
    try {
      // The rebuild: vite empties dist and writes a bundle under new hashed names.
      rmSync(path.join(build, "assets"), { recursive: true });
      mkdirSync(path.join(build, "assets"));
      writeFileSync(path.join(build, "assets", "index-New2.js"), "console.log('new')");
      writeFileSync(path.join(build, "index.html"), '<script src="/assets/index-New2.js"></script>');
      const page = await site.inject("/");
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain("index-New2.js");
      const asset = await site.inject("/assets/index-New2.js");
      expect(asset.statusCode).toBe(200);
      expect(asset.body).toBe("console.log('new')");
      expect(asset.headers["cache-control"]).toContain("immutable");
      expect(page.headers["cache-control"]).toBe("no-cache");
      const routed = await site.inject("/persons/p-1");
      expect(routed.body).toContain("index-New2.js");
      expect(routed.headers["cache-control"]).toBe("no-cache");
      expect((await site.inject("/assets/index-Old1.js")).statusCode).toBe(404);
      // Confined to the build: no listing of a directory, nothing reached outside it.
      const listing = await site.inject("/assets/");
      expect(listing.statusCode).toBe(404);
      expect(listing.body).not.toContain("index-New2.js");
      symlinkSync(outside, path.join(build, "assets", "out"));
      for (const url of [
        "/assets/out/secret.txt",
        "/../passage-outside/secret.txt",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
      ]) {
        const response = await site.inject(url);
        expect(response.body).not.toContain("kept-outside-the-build");
      }
    } finally {
      await site.close();
      rmSync(build, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("serves the build made after the server started", async () => {
    const build = mkdtempSync(path.join(tmpdir(), "passage-web-"));
    const site = await createServer({
      authenticator,
      logLevel: "silent",
      routes: async () => undefined,
      site: (instance) => registerWebSite(instance, build),
    });
    try {
      expect((await site.inject("/")).body).toContain("has not been built");
      writeFileSync(path.join(build, "index.html"), "<!doctype html><title>Passage app</title>");
      expect((await site.inject("/")).body).toContain("<title>Passage app</title>");
    } finally {
      await site.close();
      rmSync(build, { recursive: true, force: true });
    }
  });
});
