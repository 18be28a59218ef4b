import fs from "node:fs";
import { type ConfidentialityFlag, type Role, seedDemoUsers, type UserAccount } from "@passage/access";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { type AddUserOptions, MAX_TOKEN_DAYS, MAX_TOKEN_NAME_LENGTH } from "../commands/users.ts";
import { asCommandActor } from "./audit.ts";

/** `passage users list`: the users with roles, office and needs. */
export async function listUsers(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const list = await context.withApp((app) =>
    asCommandActor(app, context, "user.read", { type: "Account", id: "*" }, () =>
      app.access.accounts.listUsers(),
    ),
  );
  if (context.output.json) return context.output.document(list);
  if (list.length === 0)
    context.output.line('no users yet: "passage users add USERNAME --role ROLE" creates one');
  for (const user of list) context.output.line(describeUser(user));
}

/** `passage users add USERNAME`: creates a user. */
export async function addUser(username: string, options: AddUserOptions, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const password = options.passwordStdin ? fs.readFileSync(0, "utf8").replace(/\r?\n$/, "") : undefined;
  const user = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: username }, () =>
      app.access.accounts.createUser(
        {
          username,
          displayName: options.displayName ?? username,
          roles: options.role as Role[],
          office: options.office,
          confidentialityNeeds: (options.need ?? []) as ConfidentialityFlag[],
          country: options.country ?? "",
        },
        password,
      ),
    ),
  );
  if (context.output.json) return context.output.document(user);
  context.output.line(`created ${describeUser(user)}`);
}

/** `passage users token USERNAME`: issues an API token (printed once). */
export async function issueApiToken(
  username: string,
  options: { name: string; days?: string },
  command: Command,
): Promise<void> {
  const context = createCommandContext(command);
  const days = options.days === undefined ? undefined : Number(options.days);
  if (days !== undefined && (!Number.isFinite(days) || days <= 0 || days > MAX_TOKEN_DAYS)) {
    throw CliErrors.usage.create(
      `--days must be a positive number of at most ${MAX_TOKEN_DAYS} (ten years; leave it out for a token that never expires), got "${options.days}"`,
    );
  }
  const name = options.name.trim();
  if (name.length === 0 || name.length > MAX_TOKEN_NAME_LENGTH) {
    throw CliErrors.usage.create(
      `--name must be 1 to ${MAX_TOKEN_NAME_LENGTH} characters, got ${options.name.length}`,
    );
  }
  const issued = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: username }, () =>
      app.access.accounts.createApiToken(username, name, days === undefined ? undefined : days * 86_400_000),
    ),
  );
  if (context.output.json) return context.output.document(issued);
  context.output.line(
    `token ${issued.id} for ${username}${issued.expiresAt ? ` (expires ${issued.expiresAt})` : ""}:`,
  );
  context.output.line(issued.token);
}

/** `passage users tokens USERNAME`: the user's API tokens, never their secrets. */
export async function listApiTokens(username: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const tokens = await context.withApp((app) =>
    asCommandActor(app, context, "user.read", { type: "Account", id: username }, () =>
      app.access.accounts.listApiTokens(username),
    ),
  );
  if (context.output.json) return context.output.document(tokens);
  if (tokens.length === 0) context.output.line(`${username} has no API tokens`);
  for (const token of tokens) {
    const state = token.revokedAt
      ? `revoked ${token.revokedAt}`
      : token.expiresAt
        ? `expires ${token.expiresAt}`
        : "never expires";
    context.output.line(
      `${token.id} ${JSON.stringify(token.name)} ${state}, last used ${token.lastUsedAt ?? "never"}`,
    );
  }
}

/** `passage users revoke-token USERNAME TOKEN_ID`: revokes one of the user's API tokens. */
export async function revokeApiToken(username: string, tokenId: string, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const revoked = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: username }, async () => {
      const token = (await app.access.accounts.listApiTokens(username)).find(({ id }) => id === tokenId);
      if (!token) throw CliErrors.tokenNotFound.create(username, tokenId);
      await app.access.accounts.revokeApiToken(token.id);
      return { username, id: token.id, name: token.name, alreadyRevoked: token.revokedAt !== null };
    }),
  );
  if (context.output.json) return context.output.document(revoked);
  context.output.line(
    revoked.alreadyRevoked
      ? `token ${revoked.id} of ${username} was already revoked`
      : `revoked token ${revoked.id} ("${revoked.name}") of ${username}`,
  );
}

/**
 * `passage users disable | enable USERNAME`. Disabling ends the user's sessions; their password
 * and API tokens are refused while it lasts. Either way the account is the administrator's call:
 * a sign-in through the identity provider never enables it again.
 */
export async function setUserDisabled(username: string, disabled: boolean, command: Command): Promise<void> {
  const context = createCommandContext(command);
  const user = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: username }, async () => {
      const { accounts } = app.access;
      const current = await accounts.getUserOrThrow(username);
      // The mark of an account the identity provider's sign-in disabled for want of a role, which
      // that sign-in enables again (server oidc-login.ts): an administrator's decision replaces it.
      if ("oidcNoRole" in current.attributes) {
        const { oidcNoRole: _marker, ...attributes } = current.attributes;
        await accounts.updateUser({ ...current, attributes });
      }
      await accounts.setDisabled(username, disabled);
      return accounts.getUserOrThrow(username);
    }),
  );
  if (context.output.json) return context.output.document(user);
  context.output.line(`${disabled ? "disabled" : "enabled"} ${describeUser(user)}`);
}

/** `passage users demo`: creates or resets the demo users. */
export async function seedDemoAccounts(command: Command): Promise<void> {
  const context = createCommandContext(command);
  const seeded = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: "demo-users" }, () =>
      seedDemoUsers(app.access.accounts),
    ),
  );
  if (context.output.json) return context.output.document(seeded);
  for (const user of seeded)
    context.output.line(`${user.username.padEnd(18)} ${user.password}  ${user.roles.join(",")}`);
}

function describeUser(user: UserAccount): string {
  const needs = user.confidentialityNeeds.length > 0 ? ` needs=${user.confidentialityNeeds.join(",")}` : "";
  const country = user.country ? ` country=${user.country}` : "";
  const state = user.disabled ? " (disabled)" : "";
  return `${user.username} roles=${user.roles.join(",")} office=${user.office || "-"}${needs}${country}${state}`;
}
