import fs from "node:fs";
import {
  CONFIDENTIALITY_FLAGS,
  type ConfidentialityFlag,
  ROLES,
  type Role,
  seedDemoUsers,
  type UserAccount,
} from "@passage/access";
import type { Command } from "commander";
import { createCommandContext } from "../cli-context.ts";
import { CliErrors } from "../cli-errors.ts";
import { asCommandActor } from "./audit.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `passage users list | add | token | demo`: local accounts (issue 6). Every read and write of
 * a user is authorized and audited like any other, as the local operator or `--as USER`.
 */
export function registerUsersCommand(program: Command): void {
  const users = program
    .command("users")
    .description("local accounts: list, add, issue API tokens, seed demo users");

  users
    .command("list")
    .description("list the users with their roles, office and confidentiality needs")
    .action(async (_options: unknown, command: Command) => {
      const context = createCommandContext(command);
      const list = await context.withApp((app) =>
        asCommandActor(app, context, "user.read", { type: "Account", id: "*" }, () =>
          app.access.accounts.listUsers(),
        ),
      );
      if (context.output.json) return context.output.document(list);
      for (const user of list) context.output.line(describeUser(user));
    });

  users
    .command("add")
    .description("create a user; the password is read from standard input with --password-stdin")
    .argument("<username>", "lowercase letters, digits, '.', '_' or '-'")
    .requiredOption(
      "--role <role>",
      `a role (repeatable): ${ROLES.filter((role) => role !== "local_operator").join(", ")}`,
      collect,
    )
    .option("--display-name <name>", "the name shown in the interface (default: the username)")
    .option("--office <office>", "the office the user works in", "")
    .option(
      "--need <flag>",
      `a confidentiality need (repeatable): ${CONFIDENTIALITY_FLAGS.join(", ")}`,
      collect,
    )
    .option("--country <alpha3>", "for a consular officer: the country they act for")
    .option("--password-stdin", "read the password from standard input")
    .action(
      async (
        username: string,
        options: {
          role: string[];
          displayName?: string;
          office: string;
          need?: string[];
          country?: string;
          passwordStdin?: boolean;
        },
        command: Command,
      ) => {
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
      },
    );

  users
    .command("token")
    .description("issue an API token for a machine acting as USER (printed once, stored only as a hash)")
    .argument("<username>")
    .requiredOption("--name <name>", "what the token is for")
    .option("--days <days>", "expire after this many days (default: never)")
    .action(async (username: string, options: { name: string; days?: string }, command: Command) => {
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
    });

  users
    .command("demo")
    .description("create (or reset) one demo user per role and print their new passwords")
    .action(async (_options: unknown, command: Command) => {
      const context = createCommandContext(command);
      const seeded = await context.withApp((app) =>
        asCommandActor(app, context, "user.write", { type: "Account", id: "demo-users" }, () =>
          seedDemoUsers(app.access.accounts),
        ),
      );
      if (context.output.json) return context.output.document(seeded);
      for (const user of seeded)
        context.output.line(`${user.username.padEnd(18)} ${user.password}  ${user.roles.join(",")}`);
    });
}

function describeUser(user: UserAccount): string {
  const needs = user.confidentialityNeeds.length > 0 ? ` needs=${user.confidentialityNeeds.join(",")}` : "";
  const country = user.country ? ` country=${user.country}` : "";
  const state = user.disabled ? " (disabled)" : "";
  return `${user.username} roles=${user.roles.join(",")} office=${user.office || "-"}${needs}${country}${state}`;
}
