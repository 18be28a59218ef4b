import argon2 from "argon2";

/**
 * argon2id with the OWASP Password Storage Cheat Sheet's baseline (19 MiB of memory, 2
 * iterations, 1 lane): costly enough to slow guessing, cheap enough for a 2-core server.
 */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456, // KiB = 19 MiB
  timeCost: 2,
  parallelism: 1,
} as const;

/** The argon2id hash of a password, as a PHC string (algorithm, parameters and salt included). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PASSWORD_HASH_OPTIONS);
}

/** Whether `password` matches the PHC string `hash`; false for any malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Whether a hash was made with weaker parameters than today's and should be replaced at the next sign-in. */
export function passwordNeedsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS);
  } catch {
    return true;
  }
}
