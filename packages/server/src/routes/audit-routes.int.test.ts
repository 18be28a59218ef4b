import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestApp, createApiTestApp, userOf } from "../testing/api-test-app.ts";

// The audit routes on a log with an altered entry (review findings).

let api: ApiTestApp;
let auditor: { authorization: string };

beforeAll(async () => {
  api = await createApiTestApp();
  auditor = { authorization: `Bearer ${await api.userToken(userOf("auditor", "auditor"))}` };
  // Some audited reads, then a checkpoint over them.
  for (let read = 0; read < 12; read++)
    await api.server.inject({ url: "/api/v1/audit/entries?limit=1", headers: auditor });
  await api.app.access.audit.checkpoint();
});
afterAll(async () => {
  await api.close();
});

async function alterEntry(index: number, sql: string) {
  const client = await api.app.store.pool.connect();
  try {
    await client.query("ALTER TABLE audit_entry DISABLE TRIGGER USER");
    await client.query(sql, [index]);
  } finally {
    await client.query("ALTER TABLE audit_entry ENABLE TRIGGER USER");
    client.release();
  }
}

describe("audit routes over an altered entry", () => {
  it("list the page with the altered entry marked, and refuse its proof as tampering", async () => {
    await alterEntry(
      5,
      `UPDATE audit_entry SET content = replace(content, '"v":1', '"v": 1') WHERE sequence = $1`,
    );
    await alterEntry(7, "UPDATE audit_entry SET content = 'garbage' WHERE sequence = $1");
    const page = await api.server.inject({
      url: "/api/v1/audit/entries?before=10&limit=10",
      headers: auditor,
    });
    expect(page.statusCode, page.body).toBe(200);
    const entries = page.json().entries as { index: number; tampered?: boolean; problem?: string }[];
    expect(entries.map((entry) => entry.index)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(entries.filter((entry) => entry.tampered).map((entry) => entry.index)).toEqual([7, 5]);
    expect(entries.find((entry) => entry.index === 7)).toMatchObject({
      content: "garbage",
      problem: expect.stringContaining("entry 7's content does not match"),
    });

    const proof = await api.server.inject({ url: "/api/v1/audit/entries/5/proof", headers: auditor });
    expect(proof.statusCode, proof.body).toBe(422);
    expect(proof.json().error.code).toBe("PASSAGE_ERR_AUDIT_TAMPERED");
    expect(proof.json().error.message).toMatch(/entry 5 is not the canonical audit entry/);
    // A proof of an intact entry beside them still stands.
    const intact = await api.server.inject({ url: "/api/v1/audit/entries/6/proof", headers: auditor });
    expect(intact.statusCode, intact.body).toBe(200);
  });

  it("list an entry whose actor column was rewritten as tampered, naming the column", async () => {
    // The ops review's attack: a superuser skips the triggers and moves an entry to another actor.
    const client = await api.app.store.pool.connect();
    try {
      await client.query("SET session_replication_role = replica");
      await client.query("UPDATE audit_entry SET actor = 'user:nobody' WHERE sequence = 3");
    } finally {
      await client.query("RESET session_replication_role");
      client.release();
    }
    const page = await api.server.inject({
      url: "/api/v1/audit/entries?actor=user:nobody",
      headers: auditor,
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().entries).toEqual([
      expect.objectContaining({
        index: 3,
        actor: "user:auditor",
        tampered: true,
        problem: expect.stringContaining(`entry 3's actor column says "user:nobody" but its content says`),
      }),
    ]);
  });
});
