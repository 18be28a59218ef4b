import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAccessRepository, createAuditRepository } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeAuditEntryOrThrow } from "../audit/audit-entry.ts";
import { AuditLog } from "../audit-log/audit-log.ts";
import { AccountService } from "./account-service.ts";
import { DEMO_USERS, seedDemoUsers } from "./demo-users.ts";

let database: TestDatabase;
let dataDir: string;
let audit: AuditLog;
let clock = new Date("2025-06-01T12:00:00.000Z");
let accounts: AccountService;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passage-accounts-"));
  audit = new AuditLog({ repository: createAuditRepository(database), dataDir });
  accounts = new AccountService({ repository: createAccessRepository(database.db), audit, now: () => clock });
});
afterAll(async () => {
  await audit.close({ checkpoint: false });
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("local accounts", () => {
  it("stores argon2id hashes and checks passwords, recording each sign-in", async () => {
    await accounts.createUser(
      { username: "ro.smith", displayName: "R. Smith", roles: ["removal_officer"], office: "NYC" },
      "correct horse battery",
    );
    const stored = await database.pool.query(
      "SELECT password_hash FROM user_account WHERE username = 'ro.smith'",
    );
    expect(stored.rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const actor = await accounts.authenticatePassword("ro.smith", "correct horse battery");
    expect(actor).toEqual({
      kind: "user",
      id: "ro.smith",
      roles: ["removal_officer"],
      office: "NYC",
      confidentialityNeeds: [],
      country: "",
    });
    await expect(accounts.authenticatePassword("ro.smith", "wrong horse battery")).rejects.toThrow(
      /invalid credentials/,
    );
    await expect(accounts.authenticatePassword("nobody", "correct horse battery")).rejects.toMatchObject({
      code: "PASSAGE_ERR_AUTH_INVALID_CREDENTIALS",
    });
    await audit.flush();
    const entries = (
      await createAuditRepository(database).findEntries({ resourceType: "Account", limit: 10 })
    ).map((row) => decodeAuditEntryOrThrow(row.content));
    expect(entries.map((entry) => [entry.action, entry.resourceId, entry.outcome])).toEqual([
      ["auth.password", "nobody", "failure"],
      ["auth.password", "ro.smith", "failure"],
      ["auth.password", "ro.smith", "success"],
    ]);
  });

  it("validates users: roles, confidentiality needs, consular country, passwords", async () => {
    const base = { username: "x.user", displayName: "X", roles: ["auditor" as const], office: "HQ" };
    await expect(accounts.createUser({ ...base, username: "Bad Name" })).rejects.toThrow(/username/);
    await expect(accounts.createUser({ ...base, roles: ["wizard" as never] })).rejects.toThrow(
      /unknown role/,
    );
    await expect(accounts.createUser({ ...base, roles: ["local_operator"] })).rejects.toThrow(/system actor/);
    await expect(accounts.createUser({ ...base, confidentialityNeeds: ["asylum"] })).rejects.toThrow(
      /may be held only/,
    );
    await expect(accounts.createUser({ ...base, roles: ["consular_officer"] })).rejects.toThrow(
      /needs a country/,
    );
    await expect(accounts.createUser(base, "short")).rejects.toThrow(/12 to 1024/);
    await accounts.createUser(base);
    await expect(accounts.createUser(base)).rejects.toMatchObject({ code: "PASSAGE_ERR_AUTH_USER_EXISTS" });
    await expect(accounts.authenticatePassword("x.user", "any password at all")).rejects.toThrow(
      /invalid credentials/,
    );
  });

  it("issues API tokens stored only as hashes, and honours revocation and expiry", async () => {
    const { token, id } = await accounts.createApiToken("ro.smith", "ingest robot");
    expect(token).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    const rows = await database.pool.query("SELECT encode(token_hash, 'hex') AS hash FROM api_token");
    expect(JSON.stringify(rows.rows)).not.toContain(token.slice(4, 20));
    expect((await accounts.authenticateToken(token)).id).toBe("ro.smith");
    await expect(accounts.authenticateToken(`${token}x`)).rejects.toThrow(/invalid credentials/);
    await accounts.revokeApiToken(id);
    await expect(accounts.authenticateToken(token)).rejects.toThrow(/invalid credentials/);
    const shortLived = await accounts.createApiToken("ro.smith", "temporary", 60_000);
    expect((await accounts.authenticateToken(shortLived.token)).id).toBe("ro.smith");
    clock = new Date(clock.getTime() + 61_000);
    await expect(accounts.authenticateToken(shortLived.token)).rejects.toThrow(/invalid credentials/);
  });

  it("creates, validates, slides, expires and revokes sessions", async () => {
    const session = await accounts.createSession("ro.smith", {
      lifetimeMs: 3_600_000,
      idleTimeoutMs: 600_000,
    });
    expect((await accounts.validateSession(session.token, { idleTimeoutMs: 600_000 })).id).toBe("ro.smith");
    clock = new Date(clock.getTime() + 500_000);
    expect((await accounts.validateSession(session.token, { idleTimeoutMs: 600_000 })).id).toBe("ro.smith");
    clock = new Date(clock.getTime() + 500_000); // 1,000 s after creation, 500 s after last use
    expect((await accounts.validateSession(session.token, { idleTimeoutMs: 600_000 })).id).toBe("ro.smith");
    clock = new Date(clock.getTime() + 700_000); // idle too long
    await expect(accounts.validateSession(session.token)).rejects.toThrow(/invalid credentials/);

    const second = await accounts.createSession("ro.smith");
    expect(await accounts.revokeSession(second.token)).toBe(true);
    await expect(accounts.validateSession(second.token)).rejects.toThrow(/invalid credentials/);
    const third = await accounts.createSession("ro.smith");
    await accounts.setDisabled("ro.smith", true);
    await expect(accounts.validateSession(third.token)).rejects.toThrow(/invalid credentials/);
    await expect(accounts.authenticatePassword("ro.smith", "correct horse battery")).rejects.toThrow(
      /invalid/,
    );
    await accounts.setDisabled("ro.smith", false);
    expect(await accounts.purgeExpiredSessions()).toBeGreaterThanOrEqual(1);
  });

  it("seeds one demo user per role with printable passwords, again on a second start", async () => {
    const first = await seedDemoUsers(accounts);
    expect(first.map((user) => user.roles[0]).sort()).toEqual(
      [
        "admin",
        "auditor",
        "consular_officer",
        "data_steward",
        "data_steward",
        "investigator",
        "legal_counsel",
        "privacy_officer",
        "removal_officer",
        "supervisor",
        "transport_planner",
      ].sort(),
    );
    expect(first).toHaveLength(DEMO_USERS.length);
    const counsel = first.find((user) => user.username === "legal.counsel")!;
    const actor = await accounts.authenticatePassword(counsel.username, counsel.password);
    expect(actor.confidentialityNeeds).toEqual(["asylum", "vawa1367"]);
    const steward = first.find((user) => user.username === "protected.steward")!;
    expect(steward.confidentialityNeeds).toEqual(["asylum", "vawa1367"]);
    expect(
      (await accounts.authenticatePassword(steward.username, steward.password)).confidentialityNeeds,
    ).toEqual(["asylum", "vawa1367"]);
    const second = await seedDemoUsers(accounts);
    expect(second[0]!.password).not.toBe(first[0]!.password);
    await expect(accounts.authenticatePassword(first[0]!.username, first[0]!.password)).rejects.toThrow(
      /invalid/,
    );
    expect((await accounts.authenticatePassword(second[0]!.username, second[0]!.password)).id).toBe(
      second[0]!.username,
    );
  });
});
