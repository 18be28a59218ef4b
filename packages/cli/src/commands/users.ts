import type { ConfidentialityFlag, Role } from "@passage/access";
import type { Command } from "commander";
import { collectValues } from "../collect-values.ts";

/**
 * The roles `users add --role` offers: every role but the local operator (ROLES of
 * @passage/access, in its order; a test keeps the two equal). Listed here so that registering
 * the command loads no part of the access layer.
 */
export const ASSIGNABLE_ROLES: readonly Exclude<Role, "local_operator">[] = [
  "removal_officer",
  "investigator",
  "supervisor",
  "legal_counsel",
  "transport_planner",
  "data_steward",
  "auditor",
  "privacy_officer",
  "admin",
  "consular_officer",
];

/** The confidentiality needs `users add --need` offers (CONFIDENTIALITY_FLAGS of @passage/access). */
export const CONFIDENTIALITY_NEEDS: readonly ConfidentialityFlag[] = ["asylum", "vawa1367"];

/** The longest lifetime `users token --days` gives (ten years; without --days a token never expires). */
export const MAX_TOKEN_DAYS = 3_650;
/** The longest token name (the accounts' limit). */
export const MAX_TOKEN_NAME_LENGTH = 100;

/** Options of `passage users add`. */
export interface AddUserOptions {
  readonly role: string[];
  readonly displayName?: string;
  readonly office: string;
  readonly need?: string[];
  readonly country?: string;
  readonly passwordStdin?: boolean;
}

/**
 * `passage users list | add | token | tokens | revoke-token | disable | enable | demo`: local
 * accounts (issue 6). Every read and write of
 * a user is authorized and audited like any other, as the local operator or `--as USER`.
 */
export function registerUsersCommand(program: Command): void {
  const users = program
    .command("users")
    .description("local accounts: list, add, issue and revoke API tokens, disable, seed demo users");

  users
    .command("list")
    .description("list the users with their roles, office and confidentiality needs")
    .action(async (_options: unknown, command: Command) => {
      const { listUsers } = await import("../actions/users.ts");
      await listUsers(command);
    });

  users
    .command("add")
    .description("create a user; the password is read from standard input with --password-stdin")
    .argument("<username>", "lowercase letters, digits, '.', '_' or '-'")
    .requiredOption("--role <role>", `a role (repeatable): ${ASSIGNABLE_ROLES.join(", ")}`, collectValues)
    .option("--display-name <name>", "the name shown in the interface (default: the username)")
    .option("--office <office>", "the office the user works in", "")
    .option(
      "--need <flag>",
      `a confidentiality need (repeatable): ${CONFIDENTIALITY_NEEDS.join(", ")}`,
      collectValues,
    )
    .option("--country <alpha3>", "for a consular officer: the country they act for")
    .option("--password-stdin", "read the password from standard input")
    .action(async (username: string, options: AddUserOptions, command: Command) => {
      const { addUser } = await import("../actions/users.ts");
      await addUser(username, options, command);
    });

  users
    .command("token")
    .description("issue an API token for a machine acting as USER (printed once, stored only as a hash)")
    .argument("<username>")
    .requiredOption("--name <name>", "what the token is for")
    .option("--days <days>", `expire after this many days, at most ${MAX_TOKEN_DAYS} (default: never)`)
    .action(async (username: string, options: { name: string; days?: string }, command: Command) => {
      const { issueApiToken } = await import("../actions/users.ts");
      await issueApiToken(username, options, command);
    });

  users
    .command("tokens")
    .description("list USER's API tokens: id, name, expiry, last use, revocation (never their secrets)")
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      const { listApiTokens } = await import("../actions/users.ts");
      await listApiTokens(username, command);
    });

  users
    .command("revoke-token")
    .description("revoke one of USER's API tokens by its id (a running server refuses it within 5 s)")
    .argument("<username>")
    .argument("<token-id>", 'the id "passage users token" printed, or "passage users tokens USER" lists')
    .action(async (username: string, tokenId: string, _options: unknown, command: Command) => {
      const { revokeApiToken } = await import("../actions/users.ts");
      await revokeApiToken(username, tokenId, command);
    });

  users
    .command("disable")
    .description(
      "disable USER: their password, sessions and API tokens stop working (a running server refuses them within 5 s)",
    )
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      const { setUserDisabled } = await import("../actions/users.ts");
      await setUserDisabled(username, true, command);
    });

  users
    .command("enable")
    .description("enable a disabled USER again (their ended sessions stay ended)")
    .argument("<username>")
    .action(async (username: string, _options: unknown, command: Command) => {
      const { setUserDisabled } = await import("../actions/users.ts");
      await setUserDisabled(username, false, command);
    });

  users
    .command("demo")
    .description("create (or reset) one demo user per role and print their new passwords")
    .action(async (_options: unknown, command: Command) => {
      const { seedDemoAccounts } = await import("../actions/users.ts");
      await seedDemoAccounts(command);
    });
}
