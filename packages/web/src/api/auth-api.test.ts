import { describe, expect, it } from "vitest";
import { parseCurrentUser, parseSingleSignOn } from "./auth-api.ts";

describe("parseCurrentUser", () => {
  it("reads a user nested under `user` with its permitted actions", () => {
    const user = parseCurrentUser({
      user: {
        username: "supervisor",
        displayName: "Supervisor (demo)",
        roles: ["supervisor"],
        office: "NYC",
      },
      actions: ["worklist.read", "worklist.override"],
      sections: ["worklist"],
    });
    expect(user.username).toBe("supervisor");
    expect(user.office).toBe("NYC");
    expect(user.actions.has("worklist.override")).toBe(true);
    expect(user.actions.has("audit.read")).toBe(false);
    expect([...user.sections]).toEqual(["worklist"]);
  });

  it("refuses an answer that names no user", () => {
    expect(() => parseCurrentUser({ actions: [] })).toThrow(/named no user/);
    expect(() => parseCurrentUser(null)).toThrow();
  });
});

describe("parseSingleSignOn", () => {
  it("offers the provider the server names, starting sign-in on this server", () => {
    const sso = parseSingleSignOn({
      password: true,
      oidc: { providerName: "Agency ID", loginPath: "/api/v1/auth/oidc/login" },
    });
    expect(sso?.providerName).toBe("Agency ID");
    expect(sso?.href("/worklists?office=NYC")).toBe(
      "/api/v1/auth/oidc/login?returnTo=%2Fworklists%3Foffice%3DNYC",
    );
    expect(sso?.href("https://elsewhere.example")).toBe("/api/v1/auth/oidc/login?returnTo=%2F");
  });

  it("offers none when the server has none, or names a login path elsewhere", () => {
    expect(parseSingleSignOn({ password: true, oidc: null })).toBeUndefined();
    expect(parseSingleSignOn(null)).toBeUndefined();
    expect(
      parseSingleSignOn({ oidc: { providerName: "X", loginPath: "https://evil.example/api/v1/x" } }),
    ).toBeUndefined();
  });
});
