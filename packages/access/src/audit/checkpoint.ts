import crypto, { type KeyObject } from "node:crypto";
import { AccessErrors } from "../access-errors.ts";
import { hashFromHex } from "./merkle-hash.ts";

/** The format tag of checkpoint files and of the signed message. */
export const CHECKPOINT_FORMAT = "passage-audit-checkpoint/v1";
/** Names the log a checkpoint is about, so a signature over another log's head does not transfer. */
export const CHECKPOINT_ORIGIN = "passage audit log";

/** A tree head: the number of entries and the Merkle root over them, at a time. */
export interface Checkpoint {
  readonly treeSize: number;
  /** MTH over entries 0..treeSize-1, lowercase hex. */
  readonly rootHash: string;
  /** When the head was signed, ISO 8601 UTC. */
  readonly timestamp: string;
}

/** A checkpoint with its Ed25519 signature, as written to `<dataDir>/audit/checkpoints/*.json`. */
export interface SignedCheckpoint extends Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly origin: string;
  /** The first 8 bytes of SHA-256 over the raw public key, hex: which key signed. */
  readonly keyId: string;
  /** Ed25519 over `checkpointMessage(...)`, base64. */
  readonly signature: string;
}

/** The exact bytes that are signed: one field per line, like a transparency-log checkpoint note. */
export function checkpointMessage(origin: string, checkpoint: Checkpoint): Buffer {
  return Buffer.from(
    `${CHECKPOINT_FORMAT}\n${origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash}\n${checkpoint.timestamp}\n`,
    "utf8",
  );
}

/** Signs a tree head with the log's Ed25519 private key. */
export function signCheckpoint(checkpoint: Checkpoint, privateKey: KeyObject): SignedCheckpoint {
  const publicKey = crypto.createPublicKey(privateKey);
  const signature = crypto.sign(null, checkpointMessage(CHECKPOINT_ORIGIN, checkpoint), privateKey);
  return {
    format: CHECKPOINT_FORMAT,
    origin: CHECKPOINT_ORIGIN,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    timestamp: checkpoint.timestamp,
    keyId: keyIdOf(publicKey),
    signature: signature.toString("base64"),
  };
}

/** Why a signed checkpoint does not verify under `publicKey`, or undefined when it does. */
export function checkpointSignatureProblem(
  checkpoint: SignedCheckpoint,
  publicKey: KeyObject,
): string | undefined {
  if (checkpoint.origin !== CHECKPOINT_ORIGIN)
    return `it is about another log (${JSON.stringify(checkpoint.origin)})`;
  const signature = Buffer.from(checkpoint.signature, "base64");
  if (signature.length !== 64) return "its signature is not an Ed25519 signature";
  const valid = crypto.verify(null, checkpointMessage(checkpoint.origin, checkpoint), publicKey, signature);
  if (valid) return undefined;
  return checkpoint.keyId === keyIdOf(publicKey)
    ? "its signature does not match its tree size, root and time (forged or altered)"
    : `it was not signed by the log's key (key ${checkpoint.keyId}, expected ${keyIdOf(publicKey)})`;
}

/** A short, stable identifier of an Ed25519 public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return crypto.createHash("sha256").update(raw).digest("hex").slice(0, 16);
}

/** Parses a checkpoint document (a file or a database row), checking every field's form. */
export function parseSignedCheckpointOrThrow(value: unknown, source: string): SignedCheckpoint {
  const fail = (reason: string): never => {
    throw AccessErrors.checkpointInvalid.create(source, reason);
  };
  if (!value || typeof value !== "object") return fail("not a JSON object");
  const document = value as Record<string, unknown>;
  if (document.format !== CHECKPOINT_FORMAT) fail(`format is not ${CHECKPOINT_FORMAT}`);
  if (typeof document.origin !== "string") fail("origin missing");
  const treeSize = document.treeSize;
  if (typeof treeSize !== "number" || !Number.isSafeInteger(treeSize) || treeSize < 0)
    fail("treeSize invalid");
  if (!hashFromHex(document.rootHash)) fail("rootHash is not a 64-digit hex hash");
  if (typeof document.timestamp !== "string" || Number.isNaN(Date.parse(document.timestamp)))
    fail("timestamp invalid");
  if (typeof document.keyId !== "string") fail("keyId missing");
  if (typeof document.signature !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(document.signature)) {
    fail("signature is not base64");
  }
  return {
    format: CHECKPOINT_FORMAT,
    origin: document.origin as string,
    treeSize: treeSize as number,
    rootHash: document.rootHash as string,
    timestamp: document.timestamp as string,
    keyId: document.keyId as string,
    signature: document.signature as string,
  };
}
