import type { Access, Action, Actor, UserAccount } from "@passage/access";
import { ACTIONS } from "@passage/access";
import { mayPerformAction } from "./passage-authenticator.ts";

/** The sections of the web UI and the actions any one of which opens each (ARCHITECTURE.md "Interfaces"). */
export const UI_SECTIONS: Readonly<Record<string, readonly Action[]>> = {
  search: ["person.read"],
  person: ["person.read", "status.read"],
  worklist: ["worklist.read"],
  link_review: ["link.decide"],
  departures: ["departure_metrics.read"],
  transport: ["plan.read"],
  redress: ["redress.read", "redress.file"],
  audit: ["audit.read", "audit.verify"],
  policies: ["policy.read"],
  reports: ["report.read"],
  feeds: ["feed.ingest"],
  users: ["user.read"],
};

/** The `GET /api/v1/auth/me` document: who, which roles, which actions and UI sections. */
export interface CurrentUserDocument {
  readonly user: {
    readonly username: string;
    readonly displayName: string;
    readonly kind: "user" | "system";
    readonly roles: string[];
    readonly office: string;
    readonly confidentialityNeeds: string[];
    readonly country: string;
  };
  /** Every action the user's roles permit on at least one resource (the access vocabulary). */
  readonly actions: string[];
  /** The UI sections to show: those with at least one permitted action. */
  readonly sections: string[];
  readonly credential: "session" | "token" | null;
}

export function currentUserDocument(
  access: Access,
  actor: Actor,
  account: UserAccount | undefined,
  credential: "session" | "token" | undefined,
): CurrentUserDocument {
  const actions = Object.keys(ACTIONS).filter((action) => mayPerformAction(access, actor, action));
  const sections = Object.entries(UI_SECTIONS)
    .filter(([, needed]) => needed.some((action) => actions.includes(action)))
    .map(([section]) => section);
  return {
    user: {
      username: actor.id,
      displayName: account?.displayName ?? actor.id,
      kind: actor.kind,
      roles: [...actor.roles],
      office: actor.office,
      confidentialityNeeds: [...actor.confidentialityNeeds],
      country: actor.country,
    },
    actions,
    sections,
    credential: credential ?? null,
  };
}
