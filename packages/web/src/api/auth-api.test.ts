import { describe, expect, it } from "vitest";
import { parseCurrentUser } from "./auth-api.ts";

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
