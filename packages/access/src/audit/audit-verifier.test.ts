import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeAuditEntryOrThrow, encodeAuditEntry, readEntryIndex } from "./audit-entry.ts";
import { applyTampering, buildInMemoryAuditLog, sampleAuditEntry } from "./audit-tampering.ts";
import { searchColumnsProblem, verifyAuditLog } from "./audit-verifier.ts";
import { checkpointSignatureProblem, signCheckpoint } from "./checkpoint.ts";
import { leafHash, toHex } from "./merkle-hash.ts";
import { merkleRoot } from "./merkle-proofs.ts";

const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");

const verify = (log: ReturnType<typeof buildInMemoryAuditLog>) =>
  verifyAuditLog({
    entries: [log.entries],
    checkpoints: log.checkpoints,
    publicKey,
    recordedSize: log.recordedSize,
  });

describe("audit entries", () => {
  it("have one canonical encoding that round-trips", () => {
    for (let index = 0; index < 50; index++) {
      const entry = sampleAuditEntry(index);
      const bytes = encodeAuditEntry(entry);
      expect(decodeAuditEntryOrThrow(bytes)).toEqual(entry);
      expect(readEntryIndex(bytes)).toBe(index);
    }
    const reordered = Buffer.from(
      encodeAuditEntry(sampleAuditEntry(3)).toString().replace('"actor"', '"actor" '),
      "utf8",
    );
    expect(() => decodeAuditEntryOrThrow(reordered)).toThrow(/canonical|JSON/);
  });

  it("refuse values of the wrong form", () => {
    const entry = sampleAuditEntry(1);
    expect(() => encodeAuditEntry({ ...entry, time: "yesterday" })).toThrow(/time/);
    expect(() => encodeAuditEntry({ ...entry, actor: "" })).toThrow(/actor/);
    expect(() =>
      encodeAuditEntry({ ...entry, decision: "deny", outcome: "success", errorCode: null }),
    ).toThrow(/denied/);
    expect(() => encodeAuditEntry({ ...entry, details: { nested: { a: 1 } as never } })).toThrow(/scalar/);
  });
});

describe("verifyAuditLog", () => {
  it("accepts an untouched log and reports its root and checkpoints", async () => {
    const log = buildInMemoryAuditLog(40, [10, 25, 40], privateKey);
    const result = await verify(log);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(40);
    expect(result.checkpointsVerified).toBe(3);
    expect(result.latestCheckpoint?.treeSize).toBe(40);
    expect(result.rootHash).toBe(toHex(merkleRoot(log.entries.map((entry) => leafHash(entry.content)))));
  });

  it("verifies a log with no checkpoint yet from its entries alone", async () => {
    const result = await verify(buildInMemoryAuditLog(12, [], privateKey));
    expect(result.ok).toBe(true);
    expect(result.checkpointsVerified).toBe(0);
  });

  it("names a flipped byte's entry", async () => {
    const log = buildInMemoryAuditLog(30, [30], privateKey);
    const tampered = applyTampering(log, { kind: "flip-byte", first: 0.5, second: 0.5, third: 0 })!;
    const result = await verify(tampered.log);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ kind: "entry", index: 15 });
    expect(result.problems[0]!.reason).toMatch(/altered/);
  });

  it("names a deleted entry, reordered entries and a truncated tail", async () => {
    const log = buildInMemoryAuditLog(30, [20], privateKey);
    const deleted = await verify(
      applyTampering(log, { kind: "delete-entry", first: 0.1, second: 0, third: 0 })!.log,
    );
    expect(deleted.problems[0]).toMatchObject({ index: 3 });
    expect(deleted.problems[0]!.reason).toMatch(/deleted/);
    const swapped = await verify(
      applyTampering(log, { kind: "reorder-entries", first: 0.2, second: 0.5, third: 0 })!.log,
    );
    expect(swapped.problems[0]).toMatchObject({ index: 5 });
    expect(swapped.problems[0]!.reason).toMatch(/reordered/);
    // The attacker lowers the head counter too: only the checkpoint file, which outlives the rows, tells.
    const truncated = await verify(
      applyTampering(log, { kind: "truncate-tail", first: 0.5, second: 0.1, third: 0 })!.log,
    );
    expect(truncated.problems[0]).toMatchObject({ index: 10 });
    expect(truncated.problems[0]!.reason).toMatch(/truncated tail/);
  });

  it("names an entry inserted beyond the head, and the range from an entry inserted mid-log", async () => {
    const log = buildInMemoryAuditLog(30, [20], privateKey);
    const content = encodeAuditEntry(sampleAuditEntry(40));
    const beyond = await verify({
      ...log,
      entries: [...log.entries, { sequence: 40, content, leafHash: leafHash(content) }],
    });
    expect(beyond.problems[0]).toMatchObject({ kind: "entry", index: 40 });
    expect(beyond.problems[0]!.reason).toMatch(/entry 40 is stored beyond the log's head \(30 entries\)/);
    // A forged entry 25 inserted, the rest shifted up one and the head moved with them.
    const forged = encodeAuditEntry({ ...sampleAuditEntry(25), actor: "user:nobody" });
    const shifted = [
      ...log.entries.slice(0, 25),
      { sequence: 25, content: forged, leafHash: leafHash(forged) },
      ...log.entries.slice(25).map((entry) => ({ ...entry, sequence: entry.sequence + 1 })),
    ];
    const inserted = await verify({ ...log, entries: shifted, recordedSize: 31 });
    expect(inserted.problems[0]).toMatchObject({ kind: "entry", index: 25, lastIndex: 26 });
    expect(inserted.problems[0]!.reason).toMatch(/entries were inserted from 25 on/);
  });

  it("catches an entry rewritten with a matching recorded hash through the checkpoint", async () => {
    const log = buildInMemoryAuditLog(30, [10, 20], privateKey);
    const result = await verify(
      applyTampering(log, { kind: "rewrite-entry-and-hash", first: 0.7, second: 0.9, third: 0 })!.log,
    );
    // The signed roots say only that the bad entry lies in 10..19, so the problem gives that range.
    expect(result.problems[0]).toMatchObject({ kind: "entry", index: 10, lastIndex: 19 });
    expect(result.problems[0]!.reason).toMatch(/entries 10\.\.19 do not reproduce the root/);
  });

  it("rejects forged, altered and foreign checkpoints", async () => {
    const log = buildInMemoryAuditLog(16, [8, 16], privateKey);
    for (const kind of [
      "forge-checkpoint-root",
      "forge-checkpoint-signature",
      "resign-checkpoint-with-other-key",
    ] as const) {
      const result = await verify(applyTampering(log, { kind, first: 0.9, second: 0.3, third: 0.5 })!.log);
      expect(result.ok, kind).toBe(false);
      expect(result.problems[0]).toMatchObject({ kind: "checkpoint", source: log.checkpoints[1]!.source });
    }
    const checkpoint = log.checkpoints[0]!.checkpoint;
    expect(checkpointSignatureProblem(checkpoint, publicKey)).toBeUndefined();
    expect(checkpointSignatureProblem({ ...checkpoint, treeSize: 9 }, publicKey)).toMatch(/forged/);
    const other = crypto.generateKeyPairSync("ed25519");
    expect(checkpointSignatureProblem(signCheckpoint(checkpoint, other.privateKey), publicKey)).toMatch(
      /not signed by the log's key/,
    );
  });

  it("reads entries in batches from an async source", async () => {
    const log = buildInMemoryAuditLog(100, [64, 100], privateKey);
    async function* batches() {
      for (let start = 0; start < log.entries.length; start += 7) yield log.entries.slice(start, start + 7);
    }
    const result = await verifyAuditLog({ entries: batches(), checkpoints: log.checkpoints, publicKey });
    expect(result.ok).toBe(true);
    expect(result.checkpointsVerified).toBe(2);
  });
});

describe("the columns search filters on", () => {
  it("agree with the content, in place or (quotes, backslashes, other byte arrays) decoded", () => {
    const odd = { ...sampleAuditEntry(3), actor: 'user:o"brien\\x', resourceId: "person-ÿ" };
    for (const entry of [sampleAuditEntry(0), sampleAuditEntry(7), odd]) {
      const content = encodeAuditEntry(entry);
      const columns = {
        actor: Buffer.from(entry.actor),
        resourceType: Buffer.from(entry.resourceType),
        resourceId: new Uint8Array(Buffer.from(entry.resourceId)),
      };
      expect(searchColumnsProblem({ sequence: entry.index, content, ...columns })).toBeUndefined();
      expect(
        searchColumnsProblem({ sequence: entry.index, content: new Uint8Array(content), ...columns }),
      ).toBeUndefined();
    }
    // A store that keeps no columns has nothing to disagree.
    expect(
      searchColumnsProblem({ sequence: 0, content: encodeAuditEntry(sampleAuditEntry(0)) }),
    ).toBeUndefined();
  });

  it("that disagree are named, and stop verification at their entry", async () => {
    const log = buildInMemoryAuditLog(40, [32], privateKey);
    const columnsOf = (index: number) => {
      const entry = sampleAuditEntry(index);
      return {
        actor: Buffer.from(entry.actor),
        resourceType: Buffer.from(entry.resourceType),
        resourceId: Buffer.from(entry.resourceId),
      };
    };
    log.entries = log.entries.map((entry) => ({ ...entry, ...columnsOf(entry.sequence) }));
    expect((await verify(log)).ok).toBe(true);

    const stored = sampleAuditEntry(20);
    // A prefix or an extension of the true value is no match either.
    for (const [column, value, reason] of [
      [
        "actor",
        "user:nobody",
        `entry 20's actor column says "user:nobody" but its content says ${JSON.stringify(stored.actor)}`,
      ],
      ["resourceId", stored.resourceId.slice(0, -1), "entry 20's resourceId column says"],
      ["resourceType", `${stored.resourceType}x`, `entry 20's resourceType column says "Personx"`],
    ] as const) {
      const tampered = { ...log, entries: [...log.entries] };
      tampered.entries[20] = { ...tampered.entries[20]!, [column]: Buffer.from(value) };
      const verification = await verify(tampered);
      expect(verification.ok).toBe(false);
      expect(verification.problems).toEqual([
        { kind: "entry", index: 20, reason: expect.stringContaining(reason) },
      ]);
    }
  });
});
