import { describe, expect, it } from "vitest";
import { readableMessage } from "./api-error.ts";
import { readablePolicyProblem, readableServerMessage } from "./server-message.ts";

describe("readableServerMessage", () => {
  it("says a refusal without the access vocabulary, and that the record may not exist", () => {
    expect(
      readableMessage(
        403,
        "PASSAGE_ERR_HTTP_FORBIDDEN",
        "User:removal.officer may not person.read Person P-DOESNOTEXIST",
      ),
    ).toBe(
      "You may not see person P-DOESNOTEXIST: it does not exist, or it is outside what your role and office may see. Ask a supervisor if you need it.",
    );
  });

  it("says a refusal of a blank id as it says the others, not in the access vocabulary", () => {
    for (const message of [
      "User:removal.officer may not person.read Person",
      "User:removal.officer may not person.read Person.",
      "User:removal.officer may not person.read Person  ",
    ]) {
      expect(readableMessage(403, "PASSAGE_ERR_HTTP_FORBIDDEN", message)).toBe(
        "You may not see a person with a blank id: it does not exist, or it is outside what your role and office may see. Ask a supervisor if you need it.",
      );
    }
  });

  it("names a resource type of two words as two words", () => {
    expect(
      readableServerMessage("user:supervisor may not redress.read RedressRequest RR-20261124-870432a0"),
    ).toBe(
      "You may not see redress request RR-20261124-870432a0: it does not exist, or it is outside what your role and office may see",
    );
  });

  it("turns schema wording into sentences", () => {
    expect(
      readableMessage(400, "PASSAGE_ERR_HTTP_INVALID_REQUEST", "body: / from must not be after to"),
    ).toBe("From must not be after to.");
    expect(
      readableMessage(
        400,
        "PASSAGE_ERR_HTTP_INVALID_REQUEST",
        "body: /reason Too small: expected string to have >=1 characters",
      ),
    ).toBe("Reason: must not be empty.");
    expect(readableServerMessage("querystring: /q Too big: expected string to have <=200 characters")).toBe(
      "Q: must be at most 200 characters",
    );
    expect(
      readableServerMessage("body: /documents/0/issuer Invalid input: expected string, received undefined"),
    ).toBe("Documents, 1, issuer: is required");
    expect(readableServerMessage("no person P-1")).toBe("no person P-1");
  });
});

describe("readablePolicyProblem", () => {
  it("writes a problem object as a line, not JSON", () => {
    expect(
      readablePolicyProblem({
        file: "policy.yaml",
        line: 12,
        ruleId: "r-1",
        field: "rules[0].condition",
        message: "unknown field x",
      }),
    ).toBe("Line 12, rule “r-1”, field rules[0].condition: unknown field x");
    expect(readablePolicyProblem("already a sentence")).toBe("already a sentence");
  });
});
