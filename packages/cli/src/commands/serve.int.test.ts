import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servePassage } from "../testing/serve-passage.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const passage = path.resolve(here, "../../../../node_modules/.bin/passage");

let database: TestDatabase;
let directory: string;
beforeAll(async () => {
  database = await createTestDatabase();
  directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-cli-serve-"));
});
afterAll(async () => {
  await database.drop();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe("passage serve", () => {
  it("serves the API and the UI, seeds nothing, and stops cleanly on SIGTERM", async () => {
    const { child, url, exited, stdout } = await servePassage({ cwd: directory, databaseUrl: database.url });
    expect(await (await fetch(`${url}/api/v1/health`)).json()).toMatchObject({
      status: "ok",
      database: "ok",
    });
    const home = await fetch(`${url}/`);
    expect(home.headers.get("content-type")).toContain("text/html");
    expect(await home.text()).toMatch(/<html/i);
    const guarded = await fetch(`${url}/api/v1/worklist`);
    expect(guarded.status).toBe(401);
    const users = await database.pool.query("SELECT count(*)::int AS count FROM user_account");
    expect(users.rows[0].count).toBe(0);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout())).toEqual({ url, api: `${url}/api/v1` });
  });

  it("names a port another program holds in one coded line, and leaves nothing running", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const child = spawn(passage, ["serve", "--port", String(port)], {
        cwd: directory,
        env: { ...process.env, DATABASE_URL: database.url, PASSAGE_LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).not.toBe(0);
      // One line: no background failure of a refresh cut off by the shutdown before it.
      expect(stderr.trim().split("\n")).toEqual([
        `error PASSAGE_ERR_HTTP_ADDRESS_IN_USE: cannot listen on 127.0.0.1:${port}: the address is in use (give another --port, or 0 for a free one)`,
      ]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
