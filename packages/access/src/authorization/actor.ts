import type { ConfidentialityFlag, Role } from "./vocabulary.ts";

/** Who is acting: a signed-in user, a machine token's user, or a system actor such as the CLI. */
export interface Actor {
  readonly kind: "user" | "system";
  /** The username, or the system actor's name. */
  readonly id: string;
  readonly roles: readonly Role[];
  /** The office the actor works in ("" for none). */
  readonly office: string;
  /** The confidentiality flags the actor has a documented need to see. */
  readonly confidentialityNeeds: readonly ConfidentialityFlag[];
  /** The country a consular-portal user acts for (alpha-3), "" otherwise. */
  readonly country: string;
}

/**
 * The command line's system actor (CLI.md "Running"): full read rights on its own data
 * directory, every action audited. The safeguards still hold: no export or travel-document data
 * ever carries confidential information, and every person read states a purpose.
 */
export const LOCAL_OPERATOR: Actor = Object.freeze({
  kind: "system" as const,
  id: "local-operator",
  roles: Object.freeze(["local_operator" as const]),
  office: "",
  confidentialityNeeds: Object.freeze(["asylum" as const, "vawa1367" as const]),
  country: "",
});

/** How an actor is written in the audit log: `user:NAME` or `system:NAME`. */
export function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

/** The Cedar entity id of an actor: usernames as they are, system actors prefixed (a colon is no username). */
export function principalIdOf(actor: Actor): string {
  return actor.kind === "user" ? actor.id : `system:${actor.id}`;
}
