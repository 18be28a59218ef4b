import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createAccessRepository } from "./access-repository.ts";
import { createAuditRepository } from "./audit-repository.ts";

// The audit and accounts SQL on its own (the access package tests the services on top), so that
// CI's second target, Debian's PostgreSQL 15, runs it too.
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const row = (index: number) => {
  const content = `{"v":1,"index":${index},"note":"entry ${index} \\"quoted\\" ✓"}`;
  return {
    content,
    leafHash: crypto.createHash("sha256").update(content).digest(),
    actor: "user:a",
    resourceType: "Person",
    resourceId: `p${index % 3}`,
  };
};

describe("audit repository", () => {
  it("appends gapless positions, streams them back byte for byte and refuses changes", async () => {
    const repository = createAuditRepository(database);
    const firsts = await Promise.all(
      Array.from({ length: 20 }, () =>
        repository.append(5, (first) => Array.from({ length: 5 }, (_, offset) => row(first + offset))),
      ),
    );
    expect(firsts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, batch) => batch * 5));
    expect(await repository.recordedSize()).toBe(100);
    await expect(repository.append(2, () => [row(0)])).rejects.toThrow(/built 1 audit rows for 2/);
    expect(await repository.recordedSize()).toBe(100);

    const snapshot = await repository.openSnapshot();
    expect(snapshot.recordedSize).toBe(100);
    const streamed = [];
    for await (const batch of snapshot.entries(7)) streamed.push(...batch);
    await snapshot.close();
    expect(streamed.map((entry) => entry.sequence)).toEqual(Array.from({ length: 100 }, (_, index) => index));
    for (const entry of streamed) {
      expect(entry.content.toString("utf8")).toBe(row(entry.sequence).content);
      expect(entry.leafHash.equals(row(entry.sequence).leafHash)).toBe(true);
    }
    expect((await repository.readLeafHashes(10, 13)).map((hash) => hash?.toString("hex"))).toEqual(
      [10, 11, 12].map((index) => row(index).leafHash.toString("hex")),
    );
    expect(
      (await repository.findEntries({ resourceId: "p1", limit: 2 })).map((entry) => entry.sequence),
    ).toEqual([97, 94]);

    // A reader that stops early does not break the pool.
    const early = await repository.openSnapshot();
    for await (const _batch of early.entries(3)) break;
    await early.close();
    expect(await repository.recordedSize()).toBe(100);

    await expect(database.pool.query("DELETE FROM audit_entry")).rejects.toThrow(/append-only/);
    await expect(database.pool.query("UPDATE audit_log_head SET size = 0")).rejects.toThrow(
      /only moves forward/,
    );
    await repository.insertCheckpoint({
      treeSize: 100,
      rootHash: Buffer.alloc(32, 1),
      signedAt: "2025-01-01T00:00:00.000Z",
      keyId: "k",
      signature: Buffer.alloc(64, 2),
      document: { treeSize: 100 },
      frontier: [Buffer.alloc(32, 3), Buffer.alloc(32, 4), Buffer.alloc(32, 5)],
    });
    const latest = await repository.latestCheckpoint();
    expect(latest?.frontier.map((hash) => hash[0])).toEqual([3, 4, 5]);
    await expect(database.pool.query("UPDATE audit_checkpoint SET key_id = 'x'")).rejects.toThrow(
      /append-only/,
    );
  });

  it("appends on connections of its own: a shared pool with every connection taken does not hold it up", async () => {
    const repository = createAuditRepository(database);
    const size = await repository.recordedSize();
    const taken = await Promise.all(
      Array.from({ length: database.pool.options.max }, () => database.pool.connect()),
    );
    try {
      expect(await repository.appendAt(size, [row(size), row(size + 1)])).toBe(true);
      expect(await repository.append(1, (first) => [row(first)])).toBe(size + 2);
    } finally {
      for (const client of taken) client.release();
    }
    // Closed, it appends through the shared pool.
    await repository.close();
    expect(await repository.appendAt(size + 3, [row(size + 3)])).toBe(true);
    expect(await repository.recordedSize()).toBe(size + 4);
    expect(
      (await repository.readEntries(size, size + 4)).map((entry) => entry.content.toString("utf8")),
    ).toEqual([0, 1, 2, 3].map((offset) => row(size + offset).content));
  });
});

describe("access repository", () => {
  it("stores users, tokens by hash and sliding sessions", async () => {
    const repository = createAccessRepository(database.db);
    const user = {
      username: "ro1",
      displayName: "Officer",
      roles: ["removal_officer"],
      office: "NYC",
      confidentialityNeeds: [],
      country: "",
      passwordHash: "$argon2id$example",
    };
    expect(await repository.insertUser(user)).toBe(true);
    expect(await repository.insertUser(user)).toBe(false);
    expect((await repository.findUser("ro1"))?.roles).toEqual(["removal_officer"]);
    const tokenHash = crypto.randomBytes(32);
    await repository.insertToken({
      tokenHash,
      id: crypto.randomUUID(),
      username: "ro1",
      name: "robot",
      expiresAt: null,
    });
    expect((await repository.useToken(tokenHash, "2025-01-01T00:00:00Z"))?.username).toBe("ro1");
    expect(await repository.useToken(crypto.randomBytes(32), "2025-01-01T00:00:00Z")).toBeUndefined();
    const sessionHash = crypto.randomBytes(32);
    await repository.insertSession({
      sessionHash,
      username: "ro1",
      expiresAt: "2025-01-01T08:00:00Z",
      idleExpiresAt: "2025-01-01T00:30:00Z",
    });
    const touched = await repository.touchSession(
      sessionHash,
      "2025-01-01T00:20:00Z",
      "2025-01-01T09:00:00Z",
    );
    expect(touched?.idleExpiresAt).toBe("2025-01-01T08:00:00.000Z");
    expect(
      await repository.touchSession(sessionHash, "2025-01-01T08:00:01Z", "2025-01-01T09:00:00Z"),
    ).toBeUndefined();
    expect(await repository.deleteExpiredSessions("2025-01-02T00:00:00Z")).toBe(1);
  });
});
