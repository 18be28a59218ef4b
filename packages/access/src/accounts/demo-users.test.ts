import { describe, expect, it } from "vitest";
import { AccessService } from "../authorization/access-service.ts";
import type { Actor } from "../authorization/actor.ts";
import { type ConfidentialityFlag, ROLES } from "../authorization/vocabulary.ts";
import { DEMO_USERS } from "./demo-users.ts";

const service = new AccessService();
const actors: Actor[] = DEMO_USERS.map((user) => ({
  kind: "user",
  id: user.username,
  roles: [...user.roles],
  office: user.office,
  confidentialityNeeds: [...(user.confidentialityNeeds ?? [])],
  country: user.country ?? "",
}));

describe("demo users", () => {
  it("have one user per role and unique usernames", () => {
    expect(new Set(DEMO_USERS.map((user) => user.username)).size).toBe(DEMO_USERS.length);
    const roles = new Set(DEMO_USERS.flatMap((user) => user.roles));
    expect([...roles].sort()).toEqual(ROLES.filter((role) => role !== "local_operator").sort());
  });

  // Without a steward holding the need, no demo user could decide redress for an asylum (8 CFR
  // 208.6) or T/U/VAWA (8 U.S.C. 1367) person: the demo's redress would stop at filing for them.
  it.each([[["asylum"]], [["vawa1367"]], [["asylum", "vawa1367"]]] as ConfidentialityFlag[][][])(
    "include a user who may decide redress on a case flagged %j",
    (flags) => {
      const request = {
        type: "RedressRequest",
        id: "RR-1",
        attributes: { office: "NYC", assignees: [], confidentiality: flags },
      } as const;
      const deciders = actors.filter(
        (actor) =>
          service.authorize(actor, "redress.decide", request, { purpose: "redress" }).decision === "allow",
      );
      expect(deciders.map((actor) => actor.id)).toEqual(["protected.steward"]);
    },
  );
});
