import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Actor, UserInput } from "@passage/access";
import { type App, createApp, loadConfigOrThrow } from "@passage/engine";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import type { FastifyInstance } from "fastify";
import { createPassageServer, type PassageServerOptions } from "../create-passage-server.ts";

/** An app over a fresh test database, its HTTP server, and users with API tokens, for integration tests. */
export interface ApiTestApp {
  readonly app: App;
  readonly server: FastifyInstance;
  readonly database: TestDatabase;
  /** Creates a user and returns a bearer token for them. */
  userToken(input: UserInput): Promise<string>;
  close(): Promise<void>;
}

export async function createApiTestApp(options: PassageServerOptions = {}): Promise<ApiTestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), "passage-api-"));
  const app = await createApp(
    loadConfigOrThrow({
      cwd: dataDir,
      env: {},
      overrides: { dataDir, databaseUrl: database.url, logLevel: "silent" },
    }),
  );
  const server = await createPassageServer(app, { logLevel: "silent", webDirectory: null, ...options });
  return {
    app,
    server,
    database,
    async userToken(input) {
      await app.access.accounts.createUser(input);
      return (await app.access.accounts.createApiToken(input.username, "test")).token;
    },
    async close() {
      await server.close();
      await app.shutdown();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A user of one role in office HQ. */
export function userOf(
  username: string,
  role: Actor["roles"][number],
  extra: Partial<UserInput> = {},
): UserInput {
  return { username, displayName: username, roles: [role], office: "HQ", ...extra };
}
