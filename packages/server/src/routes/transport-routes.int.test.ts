import type { Worker } from "node:worker_threads";
import { createTransportService, todayUtc } from "@passage/engine";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPassageServer } from "../create-passage-server.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

type Held = { release(): void; worker: Worker };

let api: ApiTestApp;
let server: FastifyInstance;
let headers: Record<string, string>;
/** What the next solve's worker does once it holds, HiGHS loaded, before solving. */
let onHeld: (held: Held) => void = (held) => held.release();

function dayAfter(days: number): string {
  return new Date(Date.parse(`${todayUtc()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const planRequest = () =>
  server.inject({
    method: "POST",
    url: "/api/v1/transport-plans",
    headers,
    payload: { from: dayAfter(1), to: dayAfter(10) },
  });

beforeAll(async () => {
  api = await createApiTestApp();
  const token = await api.userToken(userOf("planner", "transport_planner"));
  headers = { authorization: `Bearer ${token}`, "x-passage-purpose": "removal planning" };
  // The application's own transport service, its default solver's workers held by the test.
  const transport = createTransportService({
    store: api.app.store,
    solverWorker: { holdEachSolve: (held) => onHeld(held) },
  });
  server = await createPassageServer({ ...api.app, transport }, { logLevel: "silent", webDirectory: null });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
});

describe("POST /transport-plans solves off the event loop", () => {
  it("answers other requests while a plan is being solved", async () => {
    let solving!: (held: Held) => void;
    const held = new Promise<Held>((resolve) => {
      solving = resolve;
    });
    onHeld = (worker) => solving(worker);
    const answered: string[] = [];
    const planning = planRequest().then((response) => {
      answered.push("plan");
      return response;
    });
    // The solve holds in its worker until released: a solve on the event loop never gets here
    // before the plan is answered.
    const first = await Promise.race([held.then(() => "solving"), planning.then(() => "plan answered")]);
    expect(first).toBe("solving");

    const health = await server.inject({ url: "/api/v1/health" });
    answered.push("health");
    const plans = await server.inject({ url: "/api/v1/transport-plans", headers });
    answered.push("plans");
    expect([health.statusCode, plans.statusCode]).toEqual([200, 200]);

    (await held).release();
    const planned = await planning;
    expect(planned.statusCode).toBe(201);
    expect(answered).toEqual(["health", "plans", "plan"]);
    expect(planned.json()).toMatchObject({ status: "draft", manifests: [] });
  });

  it("answers a solver worker that dies with 503 and the coded error naming the cause", async () => {
    onHeld = ({ worker }) => void worker.terminate();
    const response = await planRequest();
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toEqual({
      code: "PASSAGE_ERR_LOGISTICS_SOLVER_WORKER_FAILED",
      message:
        "the HiGHS solver's worker thread gave no plan: the worker exited with code 1 before answering",
    });
  });
});
