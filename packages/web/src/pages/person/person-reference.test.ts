import { describe, expect, it } from "vitest";
import { typedPersonId } from "./person-reference.ts";

describe("typedPersonId", () => {
  it("reads a person ID typed in lower case or with spaces around it as the upper-case ID", () => {
    expect(typedPersonId(" p-xr5vmra3hxgs ")).toBe("P-XR5VMRA3HXGS");
    expect(typedPersonId("P-Xr5vmra3hxgs")).toBe("P-XR5VMRA3HXGS");
    expect(typedPersonId("P-XR5VMRA3HXGS")).toBe("P-XR5VMRA3HXGS");
  });

  it("leaves a record reference and any other text as typed, trimmed", () => {
    expect(typedPersonId(" visa:v0012 ")).toBe("visa:v0012");
    expect(typedPersonId("bogus")).toBe("bogus");
  });
});
