import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERSIGHT_CSV_HEADER } from "../reports/report-csv.ts";
import { type ApiTestApp, createApiTestApp } from "../testing/api-test-app.ts";

let api: ApiTestApp;

beforeAll(async () => {
  api = await createApiTestApp();
}, 120_000);

afterAll(async () => {
  await api?.close();
});

describe("GET /reports", () => {
  it.each(["/api/v1/reports", "/api/v1/reports/oversight.csv", "/api/v1/reports/oversight.html"])(
    "%s refuses an unknown query parameter with 400 naming it",
    async (url) => {
      const response = await api.server.inject(`${url}?format=csv`);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: "PASSAGE_ERR_HTTP_INVALID_REQUEST" });
      expect(response.json().error.message).toContain('"format"');
    },
  );

  it("answers the report without query parameters", async () => {
    const json = await api.server.inject("/api/v1/reports");
    expect(json.statusCode).toBe(200);
    expect(json.json().policies).toEqual([]);
    const csv = await api.server.inject("/api/v1/reports/oversight.csv");
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split("\r\n")[0]).toBe(OVERSIGHT_CSV_HEADER);
  });
});
