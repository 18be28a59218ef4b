import type { AddressInfo } from "node:net";
import { PersonsChanged } from "@passage/core";
import { catchUpProjections, createRowIngestor, todayUtc } from "@passage/engine";
import { appendOutboxEvents, outboxEventOf } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPerson, removalCaseRows } from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";
import type { DepartureDashboardDocument } from "./departure-routes.ts";

let api: ApiTestApp;
let baseUrl = "";
const bearer: Record<string, string> = {};

/** The person fields of the removal case numbered 1 (removal-cases.ts), which the departure row repeats. */
const PERSON_ONE = {
  family_name: "Testperson1",
  given_names: "Ana",
  date_of_birth: "1985-05-05",
  a_number: "A200000001",
};

beforeAll(async () => {
  api = await createApiTestApp();
  for (const [who, role] of [
    ["supervisor", "supervisor"],
    ["auditor", "auditor"],
    ["steward", "data_steward"],
    ["investigator", "investigator"],
  ] as const) {
    bearer[who] = `Bearer ${await api.userToken(userOf(who, role))}`;
  }
  const ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  await ingestPerson(api.app.store, ingestor, "P-1", removalCaseRows({ number: 1, asOf: todayUtc() }));
  await ingestor.close();
  while ((await catchUpProjections(api.app)).applied > 0);
  await api.server.listen({ host: "127.0.0.1", port: 0 });
  baseUrl = `http://127.0.0.1:${(api.server.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await api?.close();
});

/** Connections listening to the outbox now (no projection runner runs here: only the streams'). */
async function listening(): Promise<number> {
  const { rows } = await api.app.store.pool.query(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE query = 'LISTEN passage_outbox' AND pid <> pg_backend_pid()",
  );
  return rows[0].count;
}

const total = (document: DepartureDashboardDocument) =>
  document.perDay.reduce((sum, row) => sum + row.count, 0);

/** Reads `event: metrics` documents off a server-sent event stream as they arrive. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<DepartureDashboardDocument> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          if (!lines.includes("event: metrics")) continue;
          const data = lines.find((line) => line.startsWith("data: "));
          return JSON.parse(data!.slice("data: ".length)) as DepartureDashboardDocument;
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error("the stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    async ended(): Promise<boolean> {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return true;
      }
    },
  };
}

describe("GET /api/v1/departures/metrics", () => {
  it("gives aggregate departure figures to a supervisor and an auditor, audited, with no person in them", async () => {
    for (const who of ["supervisor", "auditor"]) {
      const response = await api.server.inject({
        url: "/api/v1/departures/metrics",
        headers: { authorization: bearer[who]! },
      });
      expect(response.statusCode, response.body).toBe(200);
      const document = response.json() as DepartureDashboardDocument;
      expect(document).toMatchObject({ to: todayUtc(), claimedNeverCorroborated: 0, perDay: [] });
      expect(document.overstays.inCountry + document.overstays.outOfCountry).toBeGreaterThanOrEqual(0);
      expect(response.body).not.toContain("P-1");
      expect(response.body).not.toContain("Testperson1");
    }
    await api.app.access.audit.flush();
    const { rows } = await api.app.store.pool.query(
      "SELECT count(*)::int AS count FROM audit_entry WHERE content::text LIKE '%departure_metrics.read%'",
    );
    expect(rows[0].count).toBeGreaterThanOrEqual(2);
  });

  it("refuses a role without departure_metrics.read, and a bad range", async () => {
    const refused = await api.server.inject({
      url: "/api/v1/departures/metrics",
      headers: { authorization: bearer.investigator! },
    });
    expect(refused.statusCode).toBe(403);
    const backwards = await api.server.inject({
      url: "/api/v1/departures/metrics?from=2026-02-01&to=2026-01-01",
      headers: { authorization: bearer.supervisor! },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe("PASSAGE_ERR_HTTP_INVALID_REQUEST");
    // With `to` left out it is today: a `from` after today is backwards too, not an empty 200.
    const future = `${new Date().getUTCFullYear() + 1}-01-01`;
    for (const url of [
      `/api/v1/departures/metrics?from=${future}`,
      `/api/v1/departures/stream?from=${future}`,
    ]) {
      const fromAfterToday = await api.server.inject({ url, headers: { authorization: bearer.supervisor! } });
      expect(fromAfterToday.statusCode, url).toBe(400);
      expect(fromAfterToday.body).toContain("from must not be after to");
    }
  });
});

describe("GET /api/v1/departures/stream", () => {
  it("pushes a fresh document when a departure streamed in through the feeds API changes a status", async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/api/v1/departures/stream`, {
      headers: { authorization: bearer.supervisor! },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    const events = eventReader(response.body!);
    const first = await events.next();
    expect(total(first)).toBe(0);

    const row = {
      ...PERSON_ONE,
      departure_id: "D-INT-1",
      departure_date: todayUtc(),
      mode: "air",
      evidence: "removal_executed",
      reported_at: new Date().toISOString(),
    };
    const posted = await api.server.inject({
      method: "POST",
      url: "/api/v1/feeds/departure/records",
      headers: {
        authorization: bearer.steward!,
        "x-passage-purpose": "departure feed",
        "content-type": "application/x-ndjson",
      },
      payload: `${JSON.stringify(row)}\n`,
    });
    expect(posted.json()).toMatchObject({ new: 1, rejected: 0 });
    // Linkage stands in here: the record joins P-1, then the projections derive its status.
    await api.app.store.pool.query(
      "INSERT INTO person_member (feed, key_value, person_id) VALUES ('departure', $1, 'P-1')",
      [row.departure_id],
    );
    await api.app.store.db.transaction().execute((transaction) =>
      appendOutboxEvents(transaction, [
        outboxEventOf(PersonsChanged, "P-1", {
          personIds: ["P-1"],
          retiredPersonIds: [],
          reason: "record_linked",
        }),
      ]),
    );
    while ((await catchUpProjections(api.app)).applied > 0);

    let next = await events.next();
    while (total(next) === 0) next = await events.next();
    expect(next.perDay).toEqual([
      { date: todayUtc(), tier: "verified", evidenceKind: "removal_executed", count: 1 },
    ]);
    expect(next.confirmationsPerHour).toEqual([
      { hour: `${row.reported_at.slice(0, 13)}:00:00.000Z`, tier: "verified", count: 1 },
    ]);
    expect(next.daysToDeparture.fromFinalOrder.count).toBe(1);

    // The stream's LISTEN connection goes back to the pool once its last client has gone.
    expect(await listening()).toBe(1);
    controller.abort();
    for (let tries = 0; tries < 100 && (await listening()) > 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await listening()).toBe(0);
  });

  it("refuses an anonymous caller and a role without the action before streaming", async () => {
    const anonymous = await fetch(`${baseUrl}/api/v1/departures/stream`);
    expect(anonymous.status).toBe(401);
    const investigator = await fetch(`${baseUrl}/api/v1/departures/stream`, {
      headers: { authorization: bearer.investigator! },
    });
    expect(investigator.status).toBe(403);
  });

  it("audits a stream with the purpose its query states, since a browser's EventSource cannot send the header", async () => {
    const stated = "Departures oversight – weekly check";
    const viaQuery = new AbortController();
    const response = await fetch(
      `${baseUrl}/api/v1/departures/stream?purpose=${encodeURIComponent(stated)}`,
      { headers: { authorization: bearer.supervisor! }, signal: viaQuery.signal },
    );
    expect(response.status).toBe(200);
    await eventReader(response.body!).next();
    viaQuery.abort();
    // A header, when there is one, is what the caller stated.
    const both = new AbortController();
    const withHeader = await fetch(`${baseUrl}/api/v1/departures/stream?purpose=ignored`, {
      headers: { authorization: bearer.supervisor!, "x-passage-purpose": "stated in the header" },
      signal: both.signal,
    });
    await eventReader(withHeader.body!).next();
    both.abort();
    await api.app.access.audit.flush();
    const purposes = async (purpose: string) =>
      (
        await api.app.store.pool.query(
          "SELECT count(*)::int AS count FROM audit_entry WHERE content::jsonb->>'action' = 'departure_metrics.read' AND content::jsonb->>'purpose' = $1",
          [purpose],
        )
      ).rows[0].count as number;
    expect(await purposes(stated)).toBe(1);
    expect(await purposes("stated in the header")).toBe(1);
    expect(await purposes("ignored")).toBe(0);
  });

  it("ends open streams when the server closes", async () => {
    const response = await fetch(`${baseUrl}/api/v1/departures/stream`, {
      headers: { authorization: bearer.auditor! },
    });
    const events = eventReader(response.body!);
    await events.next();
    const ended = events.ended();
    await api.server.close();
    expect(await ended).toBe(true);
  });
});
