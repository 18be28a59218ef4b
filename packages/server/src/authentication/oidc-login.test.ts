import type { AccountService } from "@passage/access";
import { describe, expect, it } from "vitest";
import {
  createOidcLogin,
  oidcOptionsFromEnvironment,
  parseOidcOptions,
  safeReturnPath,
} from "./oidc-login.ts";

const environment = {
  PASSAGE_OIDC_ISSUER: "https://id.example.org",
  PASSAGE_OIDC_CLIENT_ID: "passage",
  PASSAGE_OIDC_REDIRECT_URI: "https://passage.example.org/api/v1/auth/oidc/callback",
  PASSAGE_OIDC_ROLE_MAPPING: '{"ero":["removal_officer"]}',
};

function failureOf(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected a failure");
}

describe("OpenID Connect configuration errors name the variable at fault", () => {
  it("accepts a complete configuration", () => {
    expect(parseOidcOptions(oidcOptionsFromEnvironment(environment)!).roleMapping).toEqual({
      ero: ["removal_officer"],
    });
  });

  it("refuses a role mapping that is not JSON", () => {
    const failure = failureOf(() =>
      oidcOptionsFromEnvironment({ ...environment, PASSAGE_OIDC_ROLE_MAPPING: "{ero:" }),
    );
    expect(failure.code).toBe("PASSAGE_ERR_CONFIG_OIDC_INVALID");
    expect(failure.message).toMatch(
      /^invalid OpenID Connect configuration: PASSAGE_OIDC_ROLE_MAPPING is not JSON/,
    );
  });

  it("names an unknown Passage role, and each setting that is missing", () => {
    const options = oidcOptionsFromEnvironment({
      ...environment,
      PASSAGE_OIDC_ROLE_MAPPING: '{"ero":["officer"]}',
      PASSAGE_OIDC_REDIRECT_URI: "",
      PASSAGE_OIDC_CLIENT_ID: "",
    })!;
    const failure = failureOf(() => parseOidcOptions(options));
    expect(failure.code).toBe("PASSAGE_ERR_CONFIG_OIDC_INVALID");
    expect(failure.message).toContain("PASSAGE_OIDC_CLIENT_ID is not set");
    expect(failure.message).toContain("PASSAGE_OIDC_REDIRECT_URI is not set");
    expect(failure.message).toContain(
      'PASSAGE_OIDC_ROLE_MAPPING (provider role "ero"): "officer" is not a Passage role (roles: removal_officer,',
    );
    const notAnObject = failureOf(() =>
      parseOidcOptions(oidcOptionsFromEnvironment({ ...environment, PASSAGE_OIDC_ROLE_MAPPING: "[1]" })!),
    );
    expect(notAnObject.message).toMatch(/PASSAGE_OIDC_ROLE_MAPPING: .*expected a JSON object/);
  });

  it("refuses to start without a role mapping, or with one that maps nothing", () => {
    const { PASSAGE_OIDC_ROLE_MAPPING: _mapping, ...withoutMapping } = environment;
    const unset = failureOf(() => parseOidcOptions(oidcOptionsFromEnvironment(withoutMapping)!));
    expect(unset.code).toBe("PASSAGE_ERR_CONFIG_OIDC_INVALID");
    expect(unset.message).toContain("PASSAGE_OIDC_ROLE_MAPPING is not set");
    const empty = failureOf(() =>
      parseOidcOptions(oidcOptionsFromEnvironment({ ...environment, PASSAGE_OIDC_ROLE_MAPPING: "{}" })!),
    );
    expect(empty.code).toBe("PASSAGE_ERR_CONFIG_OIDC_INVALID");
    expect(empty.message).toContain("PASSAGE_OIDC_ROLE_MAPPING: maps no provider role to a Passage role");
  });

  it("names PASSAGE_OIDC_ALLOW_INSECURE when the issuer is not HTTPS", async () => {
    const insecure = { ...environment, PASSAGE_OIDC_ISSUER: "http://127.0.0.1:9" };
    const failure = failureOf(() => parseOidcOptions(oidcOptionsFromEnvironment(insecure)!));
    expect(failure.code).toBe("PASSAGE_ERR_CONFIG_OIDC_INVALID");
    expect(failure.message).toContain(
      "PASSAGE_OIDC_ISSUER: http://127.0.0.1:9 is not HTTPS; set PASSAGE_OIDC_ALLOW_INSECURE=1",
    );
    expect(
      parseOidcOptions(oidcOptionsFromEnvironment({ ...insecure, PASSAGE_OIDC_ALLOW_INSECURE: "1" })!).issuer,
    ).toBe("http://127.0.0.1:9");
  });

  it("says which issuer could not be reached at startup", async () => {
    const unreachable = createOidcLogin(
      { ...oidcOptionsFromEnvironment(environment)!, issuer: "http://127.0.0.1:9", allowInsecure: true },
      {} as AccountService,
    );
    await expect(unreachable).rejects.toMatchObject({
      code: "PASSAGE_ERR_CONFIG_OIDC_UNREACHABLE",
      message: expect.stringMatching(
        /^PASSAGE_OIDC_ISSUER: cannot read the provider's discovery document at http:\/\/127\.0\.0\.1:9/,
      ),
    });
  });
});

describe("safeReturnPath", () => {
  it("keeps a path on this site, percent-encodes what is beyond ASCII and refuses the rest", () => {
    expect(safeReturnPath("/worklist?x=1#y")).toBe("/worklist?x=1#y");
    expect(safeReturnPath("/café")).toBe("/caf%C3%A9");
    for (const unsafe of [
      "//evil.example",
      "https://evil.example",
      "/a b",
      "/a\u0000",
      "/a\u0085",
      "/\\evil",
      "/a\ud800",
    ])
      expect(safeReturnPath(unsafe)).toBe("/");
  });
});
