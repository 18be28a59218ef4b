import { describe, expect, it } from "vitest";
import { useCliTestBed } from "../testing/cli-test-bed.ts";

const bed = useCliTestBed("users");
const { run } = bed;

async function issue(username: string, name: string) {
  const issued = await run(["--json", "users", "token", username, "--name", name]);
  expect(issued.code, issued.stderr).toBe(0);
  return JSON.parse(issued.stdout) as { id: string; token: string };
}

describe("passage users: revoking another user's token, disabling and enabling a user", () => {
  it("lists a user's tokens and revokes one by id, audited as user.write", async () => {
    expect((await run(["users", "demo"])).code).toBe(0);
    const { id } = await issue("investigator", "nightly export");
    const listed = await run(["users", "tokens", "investigator"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`${id} "nightly export" never expires, last used never`);
    expect(listed.stdout).not.toContain("pat_");

    const revoked = await run(["--purpose", "leaked token", "users", "revoke-token", "investigator", id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toBe(`revoked token ${id} ("nightly export") of investigator\n`);
    const { rows } = await bed.database.pool.query("SELECT revoked_at FROM api_token WHERE id = $1", [id]);
    expect(rows[0].revoked_at).not.toBeNull();
    expect((await bed.auditEntries("Account", "investigator")).at(-1)).toMatchObject({
      actor: "system:local-operator",
      action: "user.write",
      purpose: "leaked token",
      decision: "allow",
      outcome: "success",
    });

    // Another user's token is not found under this user's name, and is left alone.
    const theirs = await issue("auditor", "theirs");
    const wrongUser = await run(["users", "revoke-token", "investigator", theirs.id]);
    expect(wrongUser.code).toBe(3);
    expect(wrongUser.stderr).toBe(
      `error PASSAGE_ERR_CLI_TOKEN_NOT_FOUND: investigator has no API token ${theirs.id} ("passage users tokens investigator" lists them)\n`,
    );
    const untouched = await bed.database.pool.query("SELECT revoked_at FROM api_token WHERE id = $1", [
      theirs.id,
    ]);
    expect(untouched.rows[0].revoked_at).toBeNull();
  });

  it("disables and enables a user, audited as user.write; only those permitted may", async () => {
    const disabled = await run(["users", "disable", "transport.planner"]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toMatch(/^disabled transport\.planner roles=transport_planner .*\(disabled\)\n$/);
    const state = () =>
      bed.database.pool
        .query("SELECT disabled_at FROM user_account WHERE username = 'transport.planner'")
        .then(({ rows }) => rows[0].disabled_at);
    expect(await state()).not.toBeNull();
    // A disabled user may not act, and the refusal says it is disabled (not that it does not exist).
    const refused = await run(["--as", "transport.planner", "worklist", "--json"]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(
      /^error PASSAGE_ERR_AUTH_USER_DISABLED: user "transport\.planner" is disabled; an administrator can enable it/,
    );
    const enabled = await run(["users", "enable", "transport.planner"]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).not.toContain("(disabled)");
    expect(await state()).toBeNull();
    expect(
      (await bed.auditEntries("Account", "transport.planner")).slice(-2).map((entry) => entry.action),
    ).toEqual(["user.write", "user.write"]);

    const denied = await run(["--as", "auditor", "users", "disable", "admin"]);
    expect(denied.code).toBe(5);
    expect(denied.stderr).toMatch(/^error PASSAGE_ERR_ACCESS_DENIED: user:auditor may not user.write/);
  });

  it("refuses a token lifetime or name out of range as a usage error", async () => {
    const tooLong = await run(["users", "token", "investigator", "--name", "x", "--days", "100000000"]);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(
      /^error PASSAGE_ERR_CLI_USAGE: --days must be a positive number of at most 3650/,
    );
    const longName = await run(["users", "token", "investigator", "--name", "n".repeat(101)]);
    expect(longName.code).toBe(2);
    expect(longName.stderr).toBe(
      "error PASSAGE_ERR_CLI_USAGE: --name must be 1 to 100 characters, got 101\n",
    );
  });
});
