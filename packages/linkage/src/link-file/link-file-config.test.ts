import { describe, expect, it } from "vitest";
import { automaticBlockingRules, parseLinkFileConfigOrThrow, settingsFor } from "./link-file-config.ts";

describe("link-file configuration", () => {
  it("chooses blocking rules from the field kinds", () => {
    const config = parseLinkFileConfigOrThrow({
      id: "ref",
      fields: [
        { column: "first", kind: "given_name" },
        { column: "last", kind: "family_name" },
        { column: "dob", kind: "date", format: "YYYYMMDD" },
        { column: "nid", kind: "identifier", strong: true },
      ],
    });
    const names = config.settings.blockingRules.map((rule) => rule.name);
    expect(names).toContain("value:nid");
    expect(names).toContain("phonetic:last & year:dob");
    expect(names).toContain("phonetic_pair:first,last & year:dob");
    expect(config.settings.thresholds.autoLinkProbability).toBe(0.5);
    expect(settingsFor(config, 2).linkType).toBe("link_only");
  });

  it("takes an identifier held many times over, never one that is also strong", () => {
    const field = { column: "case", kind: "identifier", scheme: "opaque", manyPerPerson: true };
    const config = parseLinkFileConfigOrThrow({ id: "ref", fields: [field] });
    expect(config.settings.comparisons[0]!.manyPerPerson).toBe(true);
    expect(() => parseLinkFileConfigOrThrow({ id: "ref", fields: [{ ...field, strong: true }] })).toThrow(
      /manyPerPerson.*cannot also be held many times over/,
    );
    expect(() =>
      parseLinkFileConfigOrThrow({ id: "ref", fields: [{ column: "t", kind: "text", manyPerPerson: true }] }),
    ).toThrow(/only an identifier comparison takes manyPerPerson/);
  });

  it("accepts blocking rules in text form and rejects what it cannot use", () => {
    const config = parseLinkFileConfigOrThrow({
      id: "ref",
      fields: [
        { column: "name", kind: "full_name" },
        { column: "zip", kind: "postcode" },
      ],
      blocking: ["phonetic:name & prefix:zip"],
    });
    expect(config.settings.blockingRules[0]!.parts).toHaveLength(2);
    expect(() =>
      parseLinkFileConfigOrThrow({
        id: "ref",
        fields: [{ column: "zip", kind: "postcode" }],
        blocking: ["year:zip"],
      }),
    ).toThrow(/transform year does not apply to postcode "zip"/);
    expect(() => automaticBlockingRules([{ name: "t", kind: "text", column: "t" }])).toThrow(
      /cannot choose blocking rules/,
    );
  });

  it("names the settings file as its caller named it", () => {
    const bad = { id: "ref", fields: [{ column: "surname", kind: "surnme" }] };
    expect(() => parseLinkFileConfigOrThrow(bad, "my-settings.json")).toThrow(
      /^my-settings\.json fields\[0\]/,
    );
    expect(() => parseLinkFileConfigOrThrow({ ...bad, training: { seeds: 1 } }, "other.json")).toThrow(
      /other\.json/,
    );
    expect(() => parseLinkFileConfigOrThrow(bad)).toThrow(/^model\.json /);
  });
});
