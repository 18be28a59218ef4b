import crypto, { type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AccessErrors } from "../access-errors.ts";

/** Where the audit key pair and checkpoint files live under the data directory (CLI.md "Running"). */
export interface AuditPaths {
  readonly directory: string;
  readonly signingKey: string;
  readonly publicKey: string;
  readonly checkpoints: string;
}

export function auditPathsOf(dataDir: string): AuditPaths {
  const directory = path.join(dataDir, "audit");
  return {
    directory,
    signingKey: path.join(directory, "signing-key.pem"),
    publicKey: path.join(directory, "public-key.pem"),
    checkpoints: path.join(directory, "checkpoints"),
  };
}

/** The checkpoint signing key pair. */
export interface SigningKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Loads the Ed25519 signing key. A log with no signed checkpoint yet (`hasCheckpoints` false) gets
 * a key pair on first use: the private key with mode 0600 (only the owner may read it), the public
 * key beside it for anyone who wants to verify; creation is exclusive, so two processes starting
 * at once end up with the same key. Once checkpoints exist the key is never replaced and
 * `public-key.pem` never rewritten: a new key would leave every earlier checkpoint unverifiable, so
 * a missing key file, or a signing key that does not match `public-key.pem`, is an error naming
 * the file to restore.
 */
export function loadSigningKey(paths: AuditPaths, hasCheckpoints: boolean): SigningKeyPair {
  fs.mkdirSync(paths.directory, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(paths.signingKey)) {
    if (hasCheckpoints) {
      throw AccessErrors.auditKeyMissing.create(
        paths.signingKey,
        "the log already has signed checkpoints, so no new key is made (they could no longer be verified); " +
          `restore the signing key from a backup (it must match ${paths.publicKey})`,
      );
    }
    const { privateKey } = crypto.generateKeyPairSync("ed25519");
    const pem = privateKey.export({ format: "pem", type: "pkcs8" });
    try {
      fs.writeFileSync(paths.signingKey, pem, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey(fs.readFileSync(paths.signingKey));
  } catch (error) {
    throw AccessErrors.signingKeyInvalid.create(paths.signingKey, (error as Error).message);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw AccessErrors.signingKeyInvalid.create(paths.signingKey, "not an Ed25519 key");
  }
  const publicKey = crypto.createPublicKey(privateKey);
  const publicPem = publicKey.export({ format: "pem", type: "spki" }).toString();
  if (!fs.existsSync(paths.publicKey)) {
    if (hasCheckpoints) {
      throw AccessErrors.auditKeyMissing.create(
        paths.publicKey,
        "the log has signed checkpoints, which are verified with it; restore it from a backup or from " +
          "where auditors keep a copy",
      );
    }
    fs.writeFileSync(paths.publicKey, publicPem, { mode: 0o644 });
  } else if (fs.readFileSync(paths.publicKey, "utf8") !== publicPem) {
    // With no checkpoint signed yet, nothing was verified with the old public key.
    if (hasCheckpoints) {
      throw AccessErrors.signingKeyInvalid.create(
        paths.signingKey,
        `it does not match the log's public key ${paths.publicKey} (was it replaced?); restore the signing ` +
          "key that matches it — checkpoints signed with another key would not verify",
      );
    }
    fs.writeFileSync(paths.publicKey, publicPem, { mode: 0o644 });
  }
  return { privateKey, publicKey };
}

/** Reads an Ed25519 public key (PEM, SPKI) to verify checkpoints with. */
export function readPublicKeyOrThrow(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = crypto.createPublicKey(fs.readFileSync(file));
  } catch (error) {
    throw AccessErrors.signingKeyInvalid.create(file, (error as Error).message);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw AccessErrors.signingKeyInvalid.create(file, "not an Ed25519 key");
  return key;
}
