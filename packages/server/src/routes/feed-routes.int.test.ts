import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

const PURPOSE = { "x-passage-purpose": "feed upload" };
const BODY_LIMIT = 64 * 1024; // 64 KiB: the route's limit in these tests (256 MiB by default)
const URL = "/api/v1/feeds/departure/records";
let api: ApiTestApp;
let steward: Record<string, string>;

beforeAll(async () => {
  api = await createApiTestApp({ feedBodyLimit: BODY_LIMIT });
  steward = {
    authorization: `Bearer ${await api.userToken(userOf("steward", "data_steward"))}`,
    ...PURPOSE,
    "content-type": "application/x-ndjson",
  };
});

afterAll(async () => {
  await api?.close();
});

const departure = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    departure_id: id,
    departure_date: "2024-05-01",
    mode: "air",
    evidence: "carrier_manifest",
    reported_at: "2024-05-01T10:00:00Z",
    ...extra,
  });

function post(payload: string | Buffer, query = "") {
  return api.server.inject({ method: "POST", url: `${URL}${query}`, headers: steward, payload });
}

async function storedKeys(prefix: string): Promise<string[]> {
  const { rows } = await api.app.store.pool.query<{ key_value: string }>(
    "SELECT key_value FROM source_record WHERE feed = 'departure' AND key_value LIKE $1 ORDER BY id",
    [`${prefix}%`],
  );
  return rows.map((row) => row.key_value);
}

/** The feed.ingest audit entries appended since `after` (a sequence), their outcome and details. */
async function ingestEntriesSince(after: number) {
  const { rows } = await api.app.store.pool.query<{
    outcome: string;
    code: string | null;
    details: Record<string, unknown>;
  }>(
    `SELECT content::jsonb->>'outcome' AS outcome, content::jsonb->>'errorCode' AS code,
            content::jsonb->'details' AS details
       FROM audit_entry WHERE sequence > $1 AND content::jsonb->>'action' = 'feed.ingest' ORDER BY sequence`,
    [after],
  );
  return rows;
}

async function auditHead(): Promise<number> {
  await api.app.access.audit.flush();
  const { rows } = await api.app.store.pool.query<{ head: number }>(
    "SELECT coalesce(max(sequence), 0)::int AS head FROM audit_entry",
  );
  return rows[0]!.head;
}

/** Sends a chunked body (no Content-Length) over a socket, as a streaming client does. */
async function postChunked(body: Buffer, query = ""): Promise<{ status: number; body: string }> {
  const address = api.server.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: address.port,
        method: "POST",
        path: `${URL}${query}`,
        headers: { ...steward, "transfer-encoding": "chunked" },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    for (let start = 0; start < body.length; start += 4096) request.write(body.subarray(start, start + 4096));
    request.end();
  });
}

describe("POST /feeds/{feed}/records", () => {
  it("is audited as one run: started before a line is read, finished with the counts of what was stored", async () => {
    for (const query of ["", "?results=lines"]) {
      const head = await auditHead();
      const prefix = `AUDITED${query ? "-LINES" : ""}`;
      const response = await post(
        [departure(`${prefix}-1`), departure(`${prefix}-2`), departure(`${prefix}-1`), "{"].join("\n"),
        query,
      );
      expect(response.statusCode, response.body).toBe(200);
      await api.app.access.audit.flush();
      const entries = await ingestEntriesSince(head);
      expect(entries.map((entry) => entry.details.phase)).toEqual(["started", "finished"]);
      expect(entries[0]!.details).not.toHaveProperty("read");
      expect(entries[1]).toMatchObject({
        outcome: "success",
        details: { read: 4, new: 2, unchanged: 1, rejected: 1, corrected: 0, heldByRedress: 0 },
      });
    }
  });

  it("answers a row the database refuses as that line rejected; the other rows, and other callers', are stored", async () => {
    // A value that passes normalisation and that PostgreSQL refuses (as jsonb refuses a lone UTF-16
    // surrogate), made by a test trigger on one key.
    await api.app.store.pool.query(`
      CREATE FUNCTION refuse_test_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.key_value = 'DB-refused' THEN
          RAISE EXCEPTION 'unsupported Unicode escape sequence' USING ERRCODE = '22P05';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_test_row BEFORE INSERT ON source_record
        FOR EACH ROW EXECUTE FUNCTION refuse_test_row();`);
    try {
      const mine = Array.from({ length: 150 }, (_, index) => departure(`DB-mine-${index}`));
      const theirs = Array.from({ length: 150 }, (_, index) =>
        departure(index === 70 ? "DB-refused" : `DB-theirs-${index}`),
      );
      const [summary, lines] = await Promise.all([
        post(mine.join("\n")),
        post(theirs.join("\n"), "?results=lines"),
      ]);
      expect(summary.statusCode, summary.body).toBe(200);
      expect(summary.json()).toMatchObject({ read: 150, new: 150, rejected: 0 });
      expect(lines.statusCode, lines.body).toBe(200);
      const results = lines.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(results).toHaveLength(150);
      expect(results[70]).toEqual({
        line: 71,
        outcome: "rejected",
        issues: [
          {
            field: "(row)",
            reason:
              "the database refused the row (SQLSTATE 22P05): unsupported Unicode escape sequence; " +
              "nothing of it was stored",
          },
        ],
      });
      expect(results.filter((result) => result.outcome === "new")).toHaveLength(149);
      expect(await storedKeys("DB-mine-")).toHaveLength(150);
      expect(await storedKeys("DB-theirs-")).toHaveLength(149);
      expect(await storedKeys("DB-refused")).toEqual([]);
    } finally {
      await api.app.store.pool.query(
        "DROP TRIGGER refuse_test_row ON source_record; DROP FUNCTION refuse_test_row()",
      );
    }
  });

  it("refuses a confidential record from a poster without the need to know it, by the row's content alone", async () => {
    const protectedSteward = {
      ...steward,
      authorization: `Bearer ${await api.userToken(
        userOf("protected-steward", "data_steward", { confidentialityNeeds: ["asylum", "vawa1367"] }),
      )}`,
    };
    const benefit = (receipt: string, formType: string) =>
      JSON.stringify({
        receipt_number: receipt,
        event: "filed",
        form_type: formType,
        event_date: "2024-03-01",
        family_name: "TEST",
      });
    const body = [
      benefit("EAC0000000101", "I-589"),
      benefit("EAC0000000102", "I-918"),
      benefit("EAC0000000103", "I-485"),
    ].join("\n");
    const url = "/api/v1/feeds/benefit/records";
    const refused = await api.server.inject({ method: "POST", url, headers: steward, payload: body });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ read: 3, new: 1, rejected: 2 });
    expect(refused.json().rejects.map((reject: { line: number }) => reject.line)).toEqual([1, 2]);
    expect(refused.json().rejects[0].issues[0]).toMatchObject({ field: "(row)" });
    expect(refused.json().rejects[0].issues[0].reason).toMatch(
      /confidential record: writing it needs the need/,
    );
    // Alike for both matters: a refusal names none (one for a stored record must read as this one).
    expect(refused.json().rejects[1].issues[0]).toEqual(refused.json().rejects[0].issues[0]);
    const stored = async () =>
      (
        await api.app.store.pool.query<{ key_value: string }>(
          "SELECT key_value FROM source_record WHERE feed = 'benefit' AND key_value LIKE 'EAC00000001%' ORDER BY key_value",
        )
      ).rows.map((row) => row.key_value);
    expect(await stored()).toEqual(["EAC0000000103"]);
    const allowed = await api.server.inject({
      method: "POST",
      url,
      headers: protectedSteward,
      payload: body,
    });
    expect(allowed.json()).toMatchObject({ read: 3, new: 2, unchanged: 1, rejected: 0 });
    expect(await stored()).toEqual(["EAC0000000101", "EAC0000000102", "EAC0000000103"]);
  });

  it("refuses a row under the key of a stored confidential record as it refuses a confidential row, writing nothing", async () => {
    const protectedSteward = {
      ...steward,
      authorization: `Bearer ${await api.userToken(
        userOf("key-protected-steward", "data_steward", { confidentialityNeeds: ["asylum", "vawa1367"] }),
      )}`,
    };
    const url = "/api/v1/feeds/benefit/records";
    const benefit = (receipt: string, formType: string, event = "filed") =>
      JSON.stringify({
        receipt_number: receipt,
        event,
        form_type: formType,
        event_date: "2024-03-01",
        family_name: "TEST",
      });
    const versions = async (receipt: string) =>
      (
        await api.app.store.pool.query<{ event: string; form_type: string; version: number }>(
          `SELECT fields->>'event' AS event, fields->>'form_type' AS form_type, version
             FROM source_record WHERE feed = 'benefit' AND key_value = $1 ORDER BY id`,
          [receipt],
        )
      ).rows;
    const seeded = await api.server.inject({
      method: "POST",
      url,
      headers: protectedSteward,
      payload: [benefit("EAC0000000201", "I-360"), benefit("EAC0000000202", "I-589")].join("\n"),
    });
    expect(seeded.json()).toMatchObject({ new: 2, rejected: 0 });
    const head = await auditHead();
    const body = [
      benefit("EAC0000000201", "I-485"), // would correct the I-360 (its key)
      benefit("EAC0000000202", "I-485", "denied"), // would add an event under the I-589's receipt
      benefit("EAC0000000203", "I-485"), // a receipt number nothing is stored under
      benefit("EAC0000000204", "I-914"), // confidential itself
    ].join("\n");
    for (const query of ["", "?results=lines"]) {
      const response = await api.server.inject({
        method: "POST",
        url: `${url}${query}`,
        headers: steward,
        payload: body,
      });
      expect(response.statusCode, response.body).toBe(200);
      const lines =
        query === ""
          ? response.json().rejects
          : response.body
              .trim()
              .split("\n")
              .map((line) => JSON.parse(line))
              .filter((line) => line.line !== 3);
      expect(lines.map((line: { line: number }) => line.line)).toEqual([1, 2, 4]);
      // The answer for a stored confidential record is the answer for a confidential row.
      for (const line of lines) expect({ ...line, line: 4 }).toEqual(lines[2]);
      expect(lines[2]).toMatchObject({ outcome: "rejected", issues: [{ field: "(row)" }] });
      if (query === "") expect(response.json()).toMatchObject({ read: 4, new: 1, corrected: 0, rejected: 3 });
    }
    expect(await versions("EAC0000000201")).toEqual([{ event: "filed", form_type: "I-360", version: 1 }]);
    expect(await versions("EAC0000000202")).toEqual([{ event: "filed", form_type: "I-589", version: 1 }]);
    expect(await versions("EAC0000000204")).toEqual([]);
    // The audit entries count the refusals and name no matter.
    await api.app.access.audit.flush();
    const entries = await ingestEntriesSince(head);
    expect(entries.at(-1)!.details).toMatchObject({ rejected: 3 });
    expect(JSON.stringify(entries)).not.toMatch(/asylum|vawa|1367|I-360|I-589|confidential/i);

    // A poster with the need is unaffected; once corrected, the earlier confidential version still
    // protects the key from a poster without it.
    const corrected = await api.server.inject({
      method: "POST",
      url,
      headers: protectedSteward,
      payload: benefit("EAC0000000201", "I-485"),
    });
    expect(corrected.json()).toMatchObject({ corrected: 1, rejected: 0 });
    const again = await api.server.inject({
      method: "POST",
      url,
      headers: steward,
      payload: benefit("EAC0000000201", "I-485", "approved"),
    });
    expect(again.json()).toMatchObject({ new: 0, rejected: 1 });
    expect((await versions("EAC0000000201")).map((record) => record.form_type)).toEqual(["I-360", "I-485"]);
  });

  it("names the feed's own path in a refusal and in the stored provenance", async () => {
    const response = await post(`${departure("PATH-1")}\n${departure("PATH-2", { gps_latitude: "1" })}`);
    expect(response.statusCode, response.body).toBe(200);
    const [refused] = response.json().rejects;
    expect(refused).toMatchObject({ line: 2, outcome: "refused", column: "gps_latitude" });
    expect(refused.reason).toMatch(/^row of http:POST \/api\/v1\/feeds\/departure\/records refused/);
    const { rows } = await api.app.store.pool.query(
      "SELECT source_name FROM source_record WHERE key_value = 'PATH-1'",
    );
    expect(rows).toEqual([{ source_name: "http:POST /api/v1/feeds/departure/records" }]);
  });

  it("drops a UTF-8 byte order mark at the start of the body", async () => {
    const response = await post(Buffer.from(`\ufeff${departure("BOM-1")}\n${departure("BOM-2")}\n`));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ read: 2, new: 2, rejected: 0 });
    expect(await storedKeys("BOM-")).toEqual(["BOM-1", "BOM-2"]);
  });

  it("rejects a line that is not UTF-8, naming its field, and stores nothing of it", async () => {
    const [before, after] = departure("UTF-2", { family_name: "MARKER" }).split("MARKER");
    const body = Buffer.concat([
      Buffer.from(`${departure("UTF-1")}\n${before}A`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`B${after}\n${departure("UTF-3")}`),
    ]);
    const response = await post(body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ read: 3, new: 2, rejected: 1 });
    expect(response.json().rejects).toEqual([
      {
        line: 2,
        outcome: "rejected",
        issues: [
          {
            field: "family_name",
            reason: "not valid UTF-8: holds bytes that are no UTF-8 character (the body must be UTF-8)",
          },
        ],
      },
    ]);
    expect(await storedKeys("UTF-")).toEqual(["UTF-1", "UTF-3"]);
  });

  describe("a body over the limit", () => {
    const oversized = (prefix: string) =>
      Buffer.from(
        Array.from({ length: Math.ceil((BODY_LIMIT * 2) / 150) }, (_, index) =>
          departure(`${prefix}-${index}`),
        ).join("\n"),
      );

    beforeAll(async () => {
      await api.server.listen({ port: 0, host: "127.0.0.1" });
    });

    it("declared by its Content-Length is answered 413 unread", async () => {
      const response = await post(oversized("DECLARED"));
      expect(response.statusCode, response.body).toBe(413);
      expect(response.json().error).toMatchObject({
        code: "PASSAGE_ERR_HTTP_BODY_TOO_LARGE",
        message: `request body larger than ${BODY_LIMIT} bytes`,
      });
      expect(await storedKeys("DECLARED-")).toEqual([]);
    });

    it("found while streaming is answered 413 saying how many rows before the limit are stored", async () => {
      const response = await postChunked(oversized("CHUNKED"));
      expect(response.status, response.body).toBe(413);
      const { error } = JSON.parse(response.body);
      expect(error.code).toBe("PASSAGE_ERR_HTTP_BODY_TOO_LARGE");
      const { linesRead, stored, summary } = error.details;
      expect(linesRead).toBeGreaterThan(100);
      expect(stored).toBe(linesRead);
      expect(summary).toMatchObject({ read: linesRead, new: linesRead, rejected: 0 });
      expect(error.message).toBe(
        `request body larger than ${BODY_LIMIT} bytes: reading stopped after line ${linesRead}; ` +
          `${stored} rows of lines 1-${linesRead} are stored (committed); details.summary counts them ` +
          `and lists the rejected lines; send the lines after line ${linesRead} in a new request`,
      );
      expect(await storedKeys("CHUNKED-")).toEqual(
        Array.from({ length: linesRead }, (_, index) => `CHUNKED-${index}`),
      );
    });

    it("found while streaming is audited with the counts of the rows stored before the limit", async () => {
      const head = await auditHead();
      const response = await postChunked(oversized("AUDITED-LIMIT"));
      expect(response.status, response.body).toBe(413);
      const { linesRead } = JSON.parse(response.body).error.details;
      const entries = await ingestEntriesSince(head);
      expect(entries.at(-1)).toMatchObject({
        details: { phase: "finished", read: linesRead, new: linesRead, bodyLimitReached: true },
      });
    });

    it("found while streaming per-line results ends the stream with the error as its last line", async () => {
      const response = await postChunked(oversized("LINES"), "?results=lines");
      expect(response.status, response.body).toBe(200);
      const lines = response.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      const { error } = lines.pop();
      expect(error).toMatchObject({
        code: "PASSAGE_ERR_HTTP_BODY_TOO_LARGE",
        details: { limit: BODY_LIMIT, linesRead: lines.length, stored: lines.length },
      });
      expect(lines.every((line) => line.outcome === "new")).toBe(true);
      expect(await storedKeys("LINES-")).toHaveLength(lines.length);
    });
  });
});
