import { spawn } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";
import { PASSAGE_BIN } from "../testing/run-passage.ts";

const bed = useCliTestBed("start");
const { run } = bed;

describe("passage start", () => {
  it("loads the demo population only for an actor allowed to ingest, and stores nothing otherwise", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const denied = await run([
      "--as",
      "auditor",
      "start",
      "--persons",
      "5",
      "--port",
      "0",
      "--departure-rate",
      "0",
    ]);
    expect(denied.code).toBe(5);
    expect(denied.stdout).toBe("");
    expect(denied.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /^error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not feed.ingest Feed \w+$/,
    );
    const records = await bed.database.pool.query("SELECT count(*)::int AS count FROM source_record");
    expect(records.rows[0].count).toBe(0);
    expect(await bed.auditEntries("Feed")).toMatchObject([
      { actor: "user:auditor", action: "feed.ingest", decision: "deny", outcome: "failure" },
    ]);
  });

  it("changes nothing when it cannot serve: the demo users' passwords are those of the demo already running", async () => {
    // The demo running on this data dir holds the port; its users and their printed passwords.
    expect((await run(["users", "demo"])).code).toBe(0);
    const passwords = async () =>
      (
        await bed.database.pool.query<{ username: string; password_hash: string }>(
          "SELECT username, password_hash FROM user_account ORDER BY username",
        )
      ).rows;
    const before = await passwords();
    expect(before.length).toBeGreaterThan(0);
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const second = await run([
        "start",
        "--persons",
        "5",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--departure-rate",
        "0",
      ]);
      expect(second.code).toBe(7);
      expect(second.stderr.trimEnd().split("\n").at(-1)).toMatch(/^error PASSAGE_ERR_HTTP_ADDRESS_IN_USE: /);
      expect(second.stdout).not.toContain("demo users");
      expect(await passwords()).toEqual(before);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }

    // A start that serves prints passwords that sign in.
    const served = spawn(
      process.execPath,
      [PASSAGE_BIN, "start", "--json", "--persons", "5", "--port", "0", "--departure-rate", "0"],
      {
        cwd: bed.directory,
        env: { ...process.env, DATABASE_URL: bed.database.url, PASSAGE_LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      let stdout = "";
      served.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => served.once("exit", resolve));
      const document = await new Promise<{ url: string; users: { username: string; password: string }[] }>(
        (resolve, reject) => {
          served.stdout.on("data", () => {
            try {
              resolve(JSON.parse(stdout));
            } catch {
              // not whole yet
            }
          });
          exited.then((code) => reject(new Error(`passage start exited ${code} before serving`)));
        },
      );
      const admin = document.users.find((user) => user.username === "admin")!;
      const signIn = await fetch(`${document.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: admin.username, password: admin.password }),
      });
      expect(signIn.status).toBeLessThan(300);
      served.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (served.exitCode === null && served.signalCode === null) served.kill("SIGKILL");
    }
  }, 300_000);
});
