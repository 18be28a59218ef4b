import { api } from "./api-client.ts";
import { ApiError } from "./api-error.ts";

/** The signed-in user as `GET /api/v1/auth/me` describes them: who, which roles, what they may do. */
export interface CurrentUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly office: string;
  /** Actions the user's roles permit (the access vocabulary: `person.read`, `worklist.override`, ...). */
  readonly actions: ReadonlySet<string>;
  /** UI sections the server says the roles open (`search`, `worklist`, `audit`, ...). */
  readonly sections: ReadonlySet<string>;
  /** Confidentiality needs the user holds (`asylum`, `vawa1367`). */
  readonly confidentialityNeeds: ReadonlySet<string>;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Reads the `auth/me` answer. The user may come flat or under `user`; the permitted actions under
 * `actions` or `permissions`. Anything else is refused loudly rather than guessed at.
 */
export function parseCurrentUser(body: unknown): CurrentUser {
  if (typeof body !== "object" || body === null) throw new ApiError(200, "BAD_ME", "unreadable user");
  const outer = body as Record<string, unknown>;
  const user = (typeof outer.user === "object" && outer.user !== null ? outer.user : outer) as Record<
    string,
    unknown
  >;
  const username = text(user.username) || text(user.id);
  if (!username) throw new ApiError(200, "BAD_ME", "the server named no user");
  const actions = stringList(outer.actions ?? user.actions ?? outer.permissions ?? user.permissions);
  return {
    username,
    displayName: text(user.displayName) || text(user.display_name) || username,
    roles: stringList(user.roles ?? outer.roles),
    office: text(user.office),
    actions: new Set(actions),
    sections: new Set(stringList(outer.sections)),
    confidentialityNeeds: new Set(stringList(user.confidentialityNeeds ?? outer.confidentialityNeeds)),
  };
}

/** The current session's user, or undefined when nobody is signed in. */
export async function fetchCurrentUser(): Promise<CurrentUser | undefined> {
  try {
    return parseCurrentUser(await api.get<unknown>("/auth/me"));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return undefined;
    throw error;
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  await api.post("/auth/login", { body: { username, password } });
}

export async function signOut(): Promise<void> {
  await api.post("/auth/logout", { body: {} });
}

/** Single sign-on as `GET /api/v1/auth/methods` offers it, when the server has it configured. */
export interface SingleSignOn {
  readonly providerName: string;
  /** Where to send the browser to start signing in, returning to `returnTo` (a path on this site). */
  readonly href: (returnTo: string) => string;
}

/** Reads the `auth/methods` answer: the single sign-on offered, or undefined when none is. */
export function parseSingleSignOn(body: unknown): SingleSignOn | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const oidc = (body as Record<string, unknown>).oidc;
  if (typeof oidc !== "object" || oidc === null) return undefined;
  const { providerName, loginPath } = oidc as Record<string, unknown>;
  // Only a path on this server: never a link elsewhere, whatever the answer says.
  if (typeof providerName !== "string" || !providerName.trim()) return undefined;
  if (typeof loginPath !== "string" || !/^\/api\/v1\/[\w/.-]+$/.test(loginPath)) return undefined;
  return {
    providerName: providerName.trim(),
    href: (returnTo) =>
      `${loginPath}?returnTo=${encodeURIComponent(returnTo.startsWith("/") ? returnTo : "/")}`,
  };
}

/** The single sign-on the server offers, or undefined (none configured, or the server unreachable). */
export async function fetchSingleSignOn(): Promise<SingleSignOn | undefined> {
  try {
    return parseSingleSignOn(await api.get<unknown>("/auth/methods"));
  } catch {
    return undefined; // the password form still works; its own errors are shown there
  }
}
