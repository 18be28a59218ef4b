import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { connectTimeoutOf, openDatabase } from "./database.ts";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

/** A port that accepts connections and never answers (a wedged proxy, a wrong service). */
async function silentListener(): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.push(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("openDatabase", () => {
  it("gives up on a server that accepts the connection but never answers, naming where it points", async () => {
    const port = await silentListener();
    const opening = openDatabase(`postgres://passage:secret@127.0.0.1:${port}/passage`, {
      connectTimeoutMs: 500,
    });
    await expect(opening).rejects.toMatchObject({
      code: "PASSAGE_ERR_STORE_CONNECTION_FAILED",
      message: expect.stringContaining(`no answer from 127.0.0.1:${port} within 0.5 s`),
    });
    await expect(opening).rejects.not.toMatchObject({ message: expect.stringContaining("secret") });
  });

  it("takes the limit from the URL's connect_timeout", async () => {
    const port = await silentListener();
    const opening = openDatabase(`postgres://passage:secret@127.0.0.1:${port}/passage?connect_timeout=2`);
    await expect(opening).rejects.toMatchObject({
      message: expect.stringContaining(`no answer from 127.0.0.1:${port} within 2 s`),
    });
  });
});

describe("connectTimeoutOf", () => {
  it("reads connect_timeout in seconds as libpq does (at least 2; 0: no limit), else the default", () => {
    expect(connectTimeoutOf("postgres://h/db", 15_000)).toBe(15_000);
    expect(connectTimeoutOf("postgres://h/db?connect_timeout=30", 15_000)).toBe(30_000);
    expect(connectTimeoutOf("postgres://h/db?connect_timeout=1", 15_000)).toBe(2000);
    expect(connectTimeoutOf("postgres://h/db?connect_timeout=0", 15_000)).toBe(0);
    expect(connectTimeoutOf("postgres://h/db?connect_timeout=soon", 15_000)).toBe(15_000);
  });
});
