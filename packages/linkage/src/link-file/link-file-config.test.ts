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

  it("refuses an unknown key in every nested object, naming the entry and the key", () => {
    const fields = [
      { column: "last", kind: "family_name" },
      { column: "nid", kind: "identifier", strong: true },
    ];
    const parse = (config: Record<string, unknown>) => () =>
      parseLinkFileConfigOrThrow({ id: "ref", fields, ...config });
    // A misspelt "strong" must not quietly switch off the strong-identifier safeguard.
    expect(parse({ fields: [fields[0], { column: "nid", kind: "identifier", stong: true }] })).toThrow(
      /^model\.json fields\[1\]\.stong: unknown key \(known: column, kind, name, .*strong.*\)$/,
    );
    expect(parse({ fields: [{ column: "first", kind: "given_name", bogus: 1 }, fields[1]] })).toThrow(
      /^model\.json fields\[0\]\.bogus: unknown key/,
    );
    expect(parse({ thresholds: { link: 0.9, reveiw: 0.2 } })).toThrow(/thresholds\.reveiw: unknown key/);
    expect(parse({ safeguards: { requireCorroboration: true, minimum: 2 } })).toThrow(
      /safeguards\.minimum: unknown key/,
    );
    expect(parse({ training: { seeds: 1 } })).toThrow(/training\.seeds: unknown key/);
    expect(parse({ blocking: [{ parts: ["value:nid"], refinement: ["initial:last"] }] })).toThrow(
      /^model\.json blocking\[0\]\.refinement: unknown key \(known: name, parts, refinements, blockSizeCap, classPairs\)$/,
    );
    expect(parse({ blocking: [[{ transform: "value", comparisons: ["nid"], column: "nid" }]] })).toThrow(
      /blocking\[0\]\[0\]\.column: unknown key \(known: transform, comparisons\)/,
    );
    expect(
      parse({ blocking: [{ parts: [{ transform: "value", comparison: ["nid"] }], refinements: [] }] }),
    ).toThrow(/blocking\[0\]\.parts\[0\]\.comparison: unknown key/);
    // Every documented option is still taken.
    const config = parseLinkFileConfigOrThrow({
      id: "ref",
      fields: [
        { column: "last", kind: "family_name", termFrequency: false, missingValues: ["UNKNOWN"] },
        { column: "dob", kind: "date", format: "YYYYMMDD", name: "birth" },
        { column: "nid", kind: "identifier", scheme: "passport", scopeColumn: "country", strong: true },
      ],
      blocking: [{ name: "nid", parts: [{ transform: "value", comparisons: ["nid"] }], refinements: [] }],
    });
    expect(config.settings.comparisons.map((comparison) => comparison.name)).toEqual([
      "last",
      "birth",
      "nid",
    ]);
  });

  it("refuses a blocking that is not a list, and thresholds out of order, in the config's own keys", () => {
    const fields = [
      { column: "last", kind: "family_name" },
      { column: "nid", kind: "identifier", strong: true },
    ];
    const parse = (config: Record<string, unknown>) => () =>
      parseLinkFileConfigOrThrow({ id: "ref", fields, ...config });
    expect(parse({ blocking: "value:nid" })).toThrow(
      /^model\.json blocking: "value:nid" is not a list: give a list of blocking rules/,
    );
    expect(parse({ blocking: [] })).toThrow(/^model\.json blocking: must list at least one blocking rule/);
    expect(parse({ thresholds: { link: 0.1, review: 0.9 } })).toThrow(
      /^model\.json thresholds: thresholds\.review \(0\.9\) must not exceed thresholds\.link \(0\.1\)/,
    );
    expect(parse({ thresholds: { review: 0.7 } })).toThrow(
      /thresholds\.review \(0\.7\) must not exceed thresholds\.link \(0\.5 by default\)/,
    );
    const config = parseLinkFileConfigOrThrow({ id: "ref", fields, thresholds: { link: 0.9, review: 0.9 } });
    expect(config.settings.thresholds).toMatchObject({ autoLinkProbability: 0.9, reviewProbability: 0.9 });
  });
});
