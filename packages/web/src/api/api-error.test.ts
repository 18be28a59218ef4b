import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFrom, readableMessage } from "./api-error.ts";

describe("apiErrorFrom", () => {
  it("keeps the server's code, message and details", () => {
    const error = apiErrorFrom(403, {
      error: {
        code: "PASSAGE_ERR_HTTP_FORBIDDEN",
        message: "your role does not permit worklist.read",
        details: { action: "worklist.read" },
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("PASSAGE_ERR_HTTP_FORBIDDEN");
    expect(error.details).toEqual({ action: "worklist.read" });
    expect(error.message).toBe("Your role does not permit worklist.read. Ask a supervisor if you need it.");
  });

  it("names the status when the body is not an error document", () => {
    const error = apiErrorFrom(502, "<html>bad gateway</html>");
    expect(error.code).toBe("HTTP_502");
    expect(error.message).toBe("The server failed (HTTP_502). The problem is logged; try again later.");
  });
});

describe("readableMessage", () => {
  it("says what to do when the network failed or the session ended", () => {
    expect(readableMessage(0, "NETWORK", "")).toMatch(/could not be reached/);
    expect(readableMessage(401, "PASSAGE_ERR_HTTP_UNAUTHENTICATED", "")).toBe(
      "Your session has ended. Sign in again.",
    );
  });

  it("prefers the server's own sentence for a refused request", () => {
    expect(readableMessage(400, "PASSAGE_ERR_HTTP_INVALID_REQUEST", "body: /reason must not be empty.")).toBe(
      "Reason: must not be empty.",
    );
    expect(readableMessage(400, "PASSAGE_ERR_X", "")).toBe("The request was refused (PASSAGE_ERR_X).");
  });

  it("never shows internals of a server failure", () => {
    expect(readableMessage(500, "PASSAGE_ERR_INTERNAL", "stack trace here")).not.toContain("stack");
  });
});
