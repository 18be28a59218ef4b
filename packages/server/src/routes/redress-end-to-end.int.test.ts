import { catchUpProjections, createRowIngestor, type RowIngestor, todayUtc } from "@passage/engine";
import { setCaseAssignment } from "@passage/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dayFrom,
  ingestPerson,
  removalCaseRows,
} from "../../../engine/src/worklist/testing/removal-cases.ts";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

const TODAY = todayUtc();
const day = (days: number) => dayFrom(TODAY, days);
const PURPOSE = { "x-passage-purpose": "case review" };
const PERSON = "P-CLAIMANT";

let api: ApiTestApp;
let ingestor: RowIngestor;
const bearer: Record<string, Record<string, string>> = {};

async function call(who: string, method: "GET" | "POST", url: string, payload?: unknown) {
  const response = await api.server.inject({
    method,
    url,
    headers: { ...bearer[who], ...PURPOSE },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return response;
}

beforeAll(async () => {
  api = await createApiTestApp();
  ingestor = createRowIngestor({ pool: api.app.store.pool, sourceName: "test", maxDelayMs: 1 });
  for (const [who, role] of [
    ["officer", "removal_officer"],
    ["steward", "data_steward"],
    ["supervisor", "supervisor"],
    ["planner", "transport_planner"],
    ["auditor", "auditor"],
  ] as const) {
    bearer[who] = { authorization: `Bearer ${await api.userToken(userOf(who, role))}` };
  }
  for (const [number, personId] of [
    [1, PERSON],
    [2, "P-OTHER"],
  ] as const) {
    await ingestPerson(
      api.app.store,
      ingestor,
      personId,
      removalCaseRows({
        number,
        asOf: TODAY,
        custody: { facility: "STWRTGA", sinceDays: -30 },
        travelDocument: { country: "GTM", issuedDays: -5, validToDays: 60 },
      }),
    );
    await setCaseAssignment(api.app.store.db, { personId, office: "HQ", assignees: [], updatedBy: "test" });
  }
  await ingestor.ingest("flight", {
    flight_id: "F-1",
    date: day(3),
    origin_hub: "AEX",
    destination_country: "GTM",
    destination_port: "GUA",
    seats: "10",
    cost: "1000",
  });
  await ingestor.flush();
  await settle();
});

afterAll(async () => {
  await ingestor.close();
  await api.close();
});

/** Lifecycle -> worklist -> manifest strikes: each stage's events are the next stage's input. */
async function settle(): Promise<void> {
  while ((await catchUpProjections(api.app)).applied > 0);
}

const onWorklist = async () =>
  (
    (await call("supervisor", "GET", "/api/v1/worklist?pageSize=100")).json().entries as {
      personId: string;
    }[]
  ).map((entry) => entry.personId);

describe("redress end to end: a citizenship claim takes a person off the worklist and the manifest", () => {
  let planId: string;
  let requestId: string;

  it("starts with the person actionable, on the worklist and on a frozen manifest", async () => {
    expect(await onWorklist()).toContain(PERSON);
    const created = await call("planner", "POST", "/api/v1/transport-plans", { from: day(1), to: day(10) });
    expect(created.statusCode, created.body).toBe(201);
    planId = created.json().planId;
    const frozen = await call("planner", "POST", `/api/v1/transport-plans/${planId}/freeze`, {});
    expect(frozen.statusCode, frozen.body).toBe(200);
    const passengers = frozen
      .json()
      .plan.manifests.flatMap((manifest: { passengers: { personId: string }[] }) =>
        manifest.passengers.map((passenger) => passenger.personId),
      );
    expect(passengers).toContain(PERSON);
  });

  it("refuses uploaded files: document references only", async () => {
    const response = await api.server.inject({
      method: "POST",
      url: "/api/v1/redress",
      headers: { ...bearer.officer, ...PURPOSE, "content-type": "multipart/form-data; boundary=x" },
      payload:
        '--x\r\nContent-Disposition: form-data; name="scan"; filename="passport.jpg"\r\n\r\nJPEG\r\n--x--\r\n',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe("PASSAGE_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE");
  });

  it("blocks all action as soon as the claim is filed", async () => {
    const filed = await call("officer", "POST", "/api/v1/redress", {
      personId: PERSON,
      kind: "citizenship",
      statement: "I am a U.S. citizen, born in Texas.",
      documents: [{ type: "US passport", number: "X1234567", issuer: "U.S. Department of State" }],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    requestId = filed.json().request.requestId;
    expect(filed.json().request).toMatchObject({
      status: "filed",
      kind: "citizenship",
      claimId: `CC-${requestId}`,
    });
    await settle();

    const status = (await call("officer", "GET", `/api/v1/persons/${PERSON}/status`)).json();
    expect(status.actionable).toBe(false);
    expect(status.overlays.map((overlay: { overlay: string }) => overlay.overlay)).toContain(
      "USC_CLAIM_OPEN",
    );
    expect(await onWorklist()).not.toContain(PERSON);
    expect(await onWorklist()).toContain("P-OTHER");
    const plan = (await call("planner", "GET", `/api/v1/transport-plans/${planId}`)).json();
    const entry = plan.manifests
      .flatMap((manifest: { passengers: unknown[] }) => manifest.passengers)
      .find((passenger: { personId: string }) => passenger.personId === PERSON);
    expect(entry.strike).toMatchObject({ reason: "USC_CLAIM", source: "status_change" });
  });

  it("resolves the verified claim with a citizenship record, keeping the person off every list", async () => {
    expect(
      (
        await call("officer", "POST", `/api/v1/redress/${requestId}/resolve`, {
          outcome: "granted",
          reason: "x",
        })
      ).statusCode,
    ).toBe(403);
    const review = await call("steward", "POST", `/api/v1/redress/${requestId}/review`, {});
    expect(review.statusCode, review.body).toBe(200);
    // A citizenship taking effect only later would not block action now: the verified citizen
    // would go back on the worklist as the claim closes.
    const later = await call("steward", "POST", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "x",
      citizenship: { effectiveDate: "2099-01-01" },
    });
    expect(later.statusCode).toBe(400);
    expect(later.json().error).toMatchObject({
      code: "PASSAGE_ERR_REDRESS_INVALID",
      message: expect.stringContaining("citizenship.effectiveDate 2099-01-01 is in the future"),
    });
    const resolved = await call("steward", "POST", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "granted",
      reason: "Passport verified with the Department of State",
      citizenship: { effectiveDate: "1985-05-05" },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const body = resolved.json();
    expect(body.request).toMatchObject({
      status: "resolved",
      outcome: "granted",
      resolvedBy: "user:steward",
    });
    expect(body.written).toEqual([
      expect.objectContaining({ feed: "citizenship", outcome: "new", version: 1, personId: PERSON }),
    ]);
    expect(body.events.map((event: { step: string }) => event.step)).toEqual([
      "filed",
      "review_started",
      "resolved",
    ]);
    expect(typeof body.daysToResolution).toBe("number");
    await settle();

    const status = (await call("officer", "GET", `/api/v1/persons/${PERSON}/status`)).json();
    expect(status.state.primary).toBe("USC");
    expect(status.actionable).toBe(false);
    expect(await onWorklist()).not.toContain(PERSON);
    const record = (await call("steward", "GET", `/api/v1/records/citizenship/VC-${requestId}`)).json();
    expect(record.versions[0]).toMatchObject({
      sourceKind: "redress",
      sourceName: `redress:${requestId}`,
      fields: expect.objectContaining({ basis: "verified_claim" }),
    });
    const again = await call("steward", "POST", `/api/v1/redress/${requestId}/resolve`, {
      outcome: "denied",
      reason: "x",
    });
    expect(again.json().error.code).toBe("PASSAGE_ERR_REDRESS_ALREADY_RESOLVED");
  });

  it("shows every step in the audit log", async () => {
    const entries = (await call("auditor", "GET", "/api/v1/audit/entries?limit=1000")).json().entries as {
      action: string;
      actor: string;
      resourceType: string;
      resourceId: string;
      decision: string;
      outcome: string;
      purpose: string;
      details?: { phase?: string };
    }[];
    const ofRequest = entries.filter((entry) => entry.resourceId === requestId);
    const steps = ofRequest
      .map(
        (entry) =>
          `${entry.actor} ${entry.action} ${entry.decision} ${entry.outcome} ${entry.details?.phase ?? "-"}`,
      )
      .reverse();
    // Every write is recorded as it starts and with its outcome (a denial once, before anything).
    expect(steps).toEqual([
      "user:officer redress.file allow success started",
      "user:officer redress.file allow success finished",
      "user:officer redress.decide deny failure -",
      "user:steward redress.decide allow success started",
      "user:steward redress.decide allow success finished",
      "user:steward redress.decide allow success started",
      "user:steward redress.decide allow failure finished",
      "user:steward redress.decide allow success started",
      "user:steward redress.decide allow success finished",
      "user:steward redress.decide allow success started",
      "user:steward redress.decide allow failure finished",
    ]);
    expect(ofRequest.every((entry) => entry.purpose === "case review")).toBe(true);
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: "record.write",
        actor: "user:steward",
        resourceId: `citizenship:VC-${requestId}`,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: "plan.freeze", actor: "user:planner", resourceId: planId }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: "status.read",
        actor: "user:officer",
        resourceId: PERSON,
        outcome: "success",
      }),
    );
  });

  it("publishes the outcome in the oversight report, small cells withheld", async () => {
    const report = (await api.server.inject("/api/v1/reports")).json();
    const outcomes = report.tables.find((table: { id: string }) => table.id === "redress_outcomes");
    expect(outcomes.cells).toEqual([{ key: "citizenship:granted", count: null, suppressed: true }]);
    expect(outcomes.total).toBeNull();
    const html = await api.server.inject("/api/v1/reports/oversight.html");
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain("Redress requests by kind and outcome");
    const csv = await api.server.inject("/api/v1/reports/oversight.csv");
    expect(csv.body.split("\r\n")[0]).toMatch(/^table,key,count,suppressed,/);
  });
});

describe("a resolution touches its own person's records only", () => {
  const recordsOf = async (personId: string) =>
    (
      await api.app.store.pool.query<{ ref: string }>(
        "SELECT feed || ':' || key_value AS ref FROM person_member WHERE person_id = $1 ORDER BY 1",
        [personId],
      )
    ).rows.map((row) => row.ref);

  it("refuses unlinks, corrections and cannot-link pairs of another person's records before deciding anything", async () => {
    const filed = await call("officer", "POST", "/api/v1/redress", {
      personId: "P-OTHER",
      kind: "other",
      statement: "Two of my records are wrong.",
      documents: [],
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const otherRequest = filed.json().request.requestId as string;
    const own = await recordsOf("P-OTHER");
    const claimants = await recordsOf(PERSON);
    const resolve = (body: Record<string, unknown>) =>
      call("steward", "POST", `/api/v1/redress/${otherRequest}/resolve`, {
        outcome: "granted",
        reason: "checked",
        ...body,
      });

    const foreignUnlink = await resolve({ unlinks: [claimants[0]] });
    expect(foreignUnlink.statusCode).toBe(400);
    expect(foreignUnlink.json().error.message).toContain(`record ${claimants[0]} is not a record of P-OTHER`);

    // Its own unlink with a correction of another person's record: refused before the unlink.
    const [feed, key] = claimants.find((reference) => reference.startsWith("court:"))!.split(":") as [
      string,
      string,
    ];
    const { rows } = await api.app.store.pool.query<{ fields: Record<string, unknown> }>(
      "SELECT fields FROM source_record WHERE feed = $1 AND key_value = $2 ORDER BY version DESC LIMIT 1",
      [feed, key],
    );
    const mixed = await resolve({
      unlinks: [own[0]],
      corrections: [{ feed, row: { ...rows[0]!.fields, outcome: "terminated" } }],
    });
    expect(mixed.statusCode, mixed.body).toBe(409);
    expect(mixed.json().error.code).toBe("PASSAGE_ERR_REDRESS_RECORD_OF_ANOTHER_PERSON");
    expect(await recordsOf("P-OTHER")).toEqual(own);

    const foreignPair = await resolve({ cannotLink: [{ left: claimants[0], right: claimants[1] }] });
    expect(foreignPair.statusCode).toBe(400);
    expect(foreignPair.json().error.message).toContain("is a record of P-OTHER");

    const request = (await call("steward", "GET", `/api/v1/redress/${otherRequest}`)).json().request;
    expect(request.status).toBe("filed");

    // Resolved straight from filed: the history shows the resolver's review, as the request's
    // reviewer fields do.
    const denied = await call("steward", "POST", `/api/v1/redress/${otherRequest}/resolve`, {
      outcome: "denied",
      reason: "the records are right",
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(denied.json().request).toMatchObject({ reviewer: "user:steward", resolvedBy: "user:steward" });
    expect(denied.json().events.map((event: { step: string }) => event.step)).toEqual([
      "filed",
      "review_started",
      "resolved",
    ]);
  });
});
