import type { RunningPassage } from "./passage-server.ts";

/** A demo user as `passage users demo --json` prints it. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly displayName: string;
  readonly office: string;
}

/** Creates one demo user per role through the CLI (fresh passwords) and returns them by role and by username. */
export async function seedDemoAccounts(passage: RunningPassage): Promise<Record<string, DemoAccount>> {
  const accounts = JSON.parse(await passage.cli(["--json", "users", "demo"])) as DemoAccount[];
  const byRole: Record<string, DemoAccount> = {};
  for (const account of accounts) {
    // The first of a role is its plain demo user (protected.steward, a second data steward, follows).
    for (const role of account.roles) byRole[role] ??= account;
    // And by username, for a second user of a role (protected.steward).
    byRole[account.username] ??= account;
  }
  return byRole;
}
