import { execFileSync } from "node:child_process";

export interface SystemUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Preferred accounts: Debian's PostgreSQL account if the package is installed, else our own. */
const CANDIDATE_USERS = ["postgres", "passage-postgres"] as const;

function lookup(name: string): SystemUser | undefined {
  try {
    const uid = Number(
      execFileSync("id", ["-u", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
    const gid = Number(
      execFileSync("id", ["-g", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(),
    );
    return { name, uid, gid };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root. When Passage runs as root it runs the server as an
 * unprivileged system account, creating `passage-postgres` (no login, no home) if neither it
 * nor Debian's `postgres` account exists.
 */
export function unprivilegedUserOrThrow(): SystemUser {
  for (const name of CANDIDATE_USERS) {
    const user = lookup(name);
    if (user) return user;
  }
  const name = CANDIDATE_USERS[1];
  try {
    execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (error) {
    const reason = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new Error(
      `running as root, and could not create the unprivileged account "${name}" for PostgreSQL: ${reason}`,
    );
  }
  const created = lookup(name);
  if (!created) throw new Error(`created the account "${name}" but cannot look it up`);
  return created;
}
