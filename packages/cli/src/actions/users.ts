import fs from "node:fs";
import { type ConfidentialityFlag, type Role, seedDemoUsers, type UserAccount } from "@passage/access";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import type { AddUserOptions } from "../commands/users.ts";
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
  if (days !== undefined && (!Number.isFinite(days) || days <= 0)) {
    throw CliErrors.usage.create(`--days must be a positive number, got "${options.days}"`);
  }
  const issued = await context.withApp((app) =>
    asCommandActor(app, context, "user.write", { type: "Account", id: username }, () =>
      app.access.accounts.createApiToken(
        username,
        options.name,
        days === undefined ? undefined : days * 86_400_000,
      ),
    ),
  );
  if (context.output.json) return context.output.document(issued);
  context.output.line(
    `token ${issued.id} for ${username}${issued.expiresAt ? ` (expires ${issued.expiresAt})` : ""}:`,
  );
  context.output.line(issued.token);
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
