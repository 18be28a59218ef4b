import crypto from "node:crypto";
import { isPassageError } from "@passage/core";
import { AccessErrors } from "../access-errors.ts";
import type { ConfidentialityFlag, Role } from "../authorization/vocabulary.ts";
import type { AccountService, UserInput } from "./account-service.ts";

/** A demo user and the password `npm start` prints for it. */
export interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly office: string;
  /** The confidential matters the user may see (asylum, 8 CFR 208.6; vawa1367, 8 U.S.C. 1367). */
  readonly confidentialityNeeds: readonly ConfidentialityFlag[];
  readonly password: string;
}

/**
 * One demo user per role (DOMAIN.md §3), in the demo population's offices, and a second data
 * steward with the asylum and 1367 needs: redress on a person with such a matter is decided only
 * by a steward with the need (safeguards.cedar), and the demo must be able to show it.
 */
export const DEMO_USERS: readonly UserInput[] = [
  demo("removal.officer", "Removal Officer (demo)", "removal_officer", "NYC"),
  demo("investigator", "Investigator (demo)", "investigator", "NYC"),
  demo("supervisor", "Supervisor (demo)", "supervisor", "NYC", ["asylum"]),
  demo("legal.counsel", "Legal Counsel (demo)", "legal_counsel", "HQ", ["asylum", "vawa1367"]),
  demo("transport.planner", "Transport Planner (demo)", "transport_planner", "HQ"),
  demo("data.steward", "Data Steward (demo)", "data_steward", "HQ"),
  demo("protected.steward", "Data Steward, asylum and 1367 cases (demo)", "data_steward", "HQ", [
    "asylum",
    "vawa1367",
  ]),
  demo("auditor", "Auditor (demo)", "auditor", "HQ"),
  demo("privacy.officer", "Privacy Officer (demo)", "privacy_officer", "HQ", ["asylum", "vawa1367"]),
  demo("admin", "Administrator (demo)", "admin", "HQ"),
  { ...demo("consular.mex", "Consular Officer, Mexico (demo)", "consular_officer", ""), country: "MEX" },
];

function demo(
  username: string,
  displayName: string,
  role: Role,
  office: string,
  confidentialityNeeds: ConfidentialityFlag[] = [],
): UserInput {
  return { username, displayName, roles: [role], office, confidentialityNeeds, country: "" };
}

/**
 * Creates the demo users, or resets them to their demo roles, and gives each a fresh random
 * password — returned so the demo can print them (they are stored only as argon2id hashes).
 */
export async function seedDemoUsers(accounts: AccountService): Promise<DemoUser[]> {
  const seeded: DemoUser[] = [];
  for (const input of DEMO_USERS) {
    const password = crypto.randomBytes(12).toString("base64url");
    try {
      await accounts.createUser(input, password);
    } catch (error) {
      if (!isPassageError(error) || error.code !== AccessErrors.userExists.code) throw error;
      await accounts.updateUser(input);
      await accounts.setPassword(input.username, password);
      await accounts.setDisabled(input.username, false);
    }
    seeded.push({
      username: input.username,
      displayName: input.displayName,
      roles: input.roles,
      office: input.office,
      confidentialityNeeds: input.confidentialityNeeds ?? [],
      password,
    });
  }
  return seeded;
}
