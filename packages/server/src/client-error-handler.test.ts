import type { AddressInfo } from "node:net";
import net from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientErrorAnswer } from "./client-error-handler.ts";
import { createServer } from "./create-server.ts";

let server: FastifyInstance;
let port: number;
beforeAll(async () => {
  server = await createServer({
    authenticator: { authenticate: async () => undefined, mayPerform: () => false },
    logLevel: "silent",
    routes: async () => undefined,
  });
  await server.listen({ host: "127.0.0.1", port: 0 });
  port = (server.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await server.close();
});

/** Sends raw bytes and returns what the server wrote before closing the connection. */
function exchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // The server may reset the connection once it has answered.
      if (answer !== "" || error.code === "ECONNRESET") resolve(answer);
      else reject(error);
    });
    socket.write(request);
  });
}

function parse(answer: string): { status: number; headers: string; body: unknown } {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

describe("client errors (refused by Node's parser before there is a request)", () => {
  it("answers headers over the limit 431 in the stable error shape", async () => {
    const answer = parse(
      await exchange(
        `GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`,
      ),
    );
    expect(answer.status).toBe(431);
    expect(answer.headers).toContain("content-type: application/json");
    expect(answer.body).toEqual({
      error: {
        code: "PASSAGE_ERR_HTTP_HEADERS_TOO_LARGE",
        message: expect.stringMatching(/16384 bytes/),
        details: { limit: 16384 },
      },
    });
  });

  it("answers bytes that are not HTTP 400 in the stable error shape", async () => {
    const answer = parse(await exchange("NOT HTTP AT ALL\r\n\r\n"));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { code: "PASSAGE_ERR_HTTP_MALFORMED_REQUEST", message: expect.any(String) },
    });
  });

  it("maps a request that never arrives in full to 408", () => {
    const timeout = Object.assign(new Error("timeout"), { code: "ERR_HTTP_REQUEST_TIMEOUT" });
    const { status, answer } = clientErrorAnswer(timeout, { requestTimeout: 120_000 });
    expect(status).toBe(408);
    expect(answer.code).toBe("PASSAGE_ERR_HTTP_REQUEST_TIMEOUT");
    expect(answer.message).toContain("120 seconds");
  });
});
