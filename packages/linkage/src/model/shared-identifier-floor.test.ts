import { describe, expect, it } from "vitest";
import { BlockingIndex } from "../blocking/blocking-index.ts";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { decideIncrementalLink } from "../incremental/decide-incremental-link.ts";
import { linkBatch } from "../link-batch.ts";
import { parseLinkFileConfigOrThrow } from "../link-file/link-file-config.ts";
import { runLinkFile } from "../link-file/run-link-file.ts";
import { PEOPLE_COLUMNS, PEOPLE_CONFIG } from "../link-file/testing/people-config.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { classifyPair, LINK_BANDS, REVIEW_REASONS } from "./classify-pair.ts";
import { explainPair, formatPairExplanation } from "./explain-pair.ts";
import { PairScorer } from "./pair-scorer.ts";
import type { LinkageRecord } from "./prepared-record.ts";

// Two persons holding one A-number (DOMAIN.md §2.2, mistaken identity): one of them carries a
// wrong A-number. Everything else about them disagrees, so the pair scores far below the review
// band; left `no_link`, an order keyed to the A-number could be executed against the wrong person.
const holder: LinkageRecord = {
  id: "court:order-1",
  values: {
    given_names: "Mateo",
    family_name: "Quispe Huaman",
    date_of_birth: "1979-02-11",
    sex: "M",
    nationality: "PER",
    a_number: "A204118377",
  },
};
const other: LinkageRecord = {
  id: "benefit:receipt-9",
  values: {
    given_names: "Farida",
    family_name: "Osei-Mensah",
    date_of_birth: "1994-10-30",
    sex: "F",
    nationality: "GHA",
    a_number: "204-118-377",
  },
};

const population = synthesiseFeedPopulation({ persons: 300, seed: 11 });
const trained = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
  training: { randomPairs: 20_000, pairsPerSession: 10_000 },
});
const { compiled, model } = trained;
const settings = FEED_LINKAGE_SETTINGS;
const evidence = {
  corroboratingWeight: 0,
  sharedIdentifier: undefined,
  leftId: "visa:1",
  rightId: "benefit:2",
};

describe("classifyPair's floor for a shared strong identifier", () => {
  it("holds a pair whose A-number agrees in review however low its probability", () => {
    expect(classifyPair(settings, { ...evidence, probability: 1e-9 })).toEqual({
      band: "no_link",
      reason: undefined,
    });
    expect(classifyPair(settings, { ...evidence, probability: 1e-9, sharedIdentifier: "a_number" })).toEqual({
      band: "review",
      reason: "shared_identifier",
    });
    // Below the cautious threshold too, and the shared identifier is the reason given.
    expect(
      classifyPair(settings, {
        ...evidence,
        leftId: "court:1",
        rightId: "departure:2",
        probability: 0.1,
        sharedIdentifier: "a_number",
      }),
    ).toEqual({ band: "review", reason: "shared_identifier" });
  });

  it("changes nothing at or above the review threshold", () => {
    const shared = { ...evidence, sharedIdentifier: "a_number" };
    expect(classifyPair(settings, { ...shared, probability: 0.6 }).reason).toBe("below_auto_link_threshold");
    expect(classifyPair(settings, { ...shared, probability: 0.999, corroboratingWeight: 10 })).toEqual({
      band: "auto_link",
      reason: undefined,
    });
  });
});

describe("PairScorer.sharedIdentifier", () => {
  const scorer = new PairScorer(compiled);
  const prepare = (id: string, values: Record<string, string>) => compiled.plan.prepare({ id, values });
  const names = { given_names: "Ana", family_name: "Lima", date_of_birth: "1990-01-02" };
  const names2 = { given_names: "Piotr", family_name: "Nowak", date_of_birth: "1961-07-08" };

  it("names an A-number both records hold, after standardisation", () => {
    scorer.score(compiled.plan.prepare(holder), compiled.plan.prepare(other));
    expect(scorer.sharedIdentifier).toBe("a_number");
  });

  it("names a passport number only when both records name the same country", () => {
    const passport = { passport_number: "P7712004" };
    scorer.score(
      prepare("visa:1", { ...names, ...passport, passport_country: "BRA" }),
      prepare("visa:2", { ...names2, ...passport, passport_country: "BRA" }),
    );
    expect(scorer.sharedIdentifier).toBe("passport");
    scorer.score(
      prepare("visa:1", { ...names, ...passport, passport_country: "BRA" }),
      prepare("visa:2", { ...names2, ...passport }),
    );
    expect(scorer.sharedIdentifier).toBeUndefined();
    scorer.score(
      prepare("visa:1", { ...names, ...passport, passport_country: "BRA" }),
      prepare("visa:2", { ...names2, ...passport, passport_country: "POL" }),
    );
    expect(scorer.sharedIdentifier).toBeUndefined();
  });

  it("names nothing for an A-number one typo apart, or an identifier that is not strong", () => {
    scorer.score(
      prepare("visa:1", { ...names, a_number: "A204118377" }),
      prepare("visa:2", { ...names2, a_number: "A204118378" }),
    );
    expect(scorer.sharedIdentifier).toBeUndefined();
    scorer.score(
      prepare("visa:1", { ...names, i94_number: "12345678901" }),
      prepare("visa:2", { ...names2, i94_number: "12345678901" }),
    );
    expect(scorer.sharedIdentifier).toBeUndefined();
  });
});

describe("two records holding one A-number, otherwise disagreeing", () => {
  const pairOf = (result: ReturnType<typeof linkBatch>) => {
    const left = result.records.findIndex((record) => record.id === holder.id);
    const right = result.records.findIndex((record) => record.id === other.id);
    for (let pair = 0; pair < result.pairs.count; pair += 1) {
      const ends = [result.pairs.left[pair], result.pairs.right[pair]];
      if (ends.includes(left) && ends.includes(right))
        return {
          weight: result.pairs.weight[pair]!,
          band: LINK_BANDS[result.pairs.band[pair]!],
          reason: REVIEW_REASONS[result.pairs.reason[pair]!],
        };
    }
    return undefined;
  };

  it("batch: blocking pairs them, the pair is in review below the band, and a review item is opened", () => {
    const result = linkBatch(settings, [holder, other], { model });
    const pair = pairOf(result);
    expect(pair).toMatchObject({ band: "review", reason: "shared_identifier" });
    expect(pair!.weight).toBeLessThan(-3); // far below the review band (probability 0.5: weight 0)
    expect(result.clustering.clusters).toHaveLength(2);
    expect(result.clustering.review).toHaveLength(1);
    expect(result.clustering.review[0]!.reason).toBe("shared_identifier");
  });

  it("batch: a cannot-link decision between them opens nothing", () => {
    const result = linkBatch(settings, [holder, other], {
      model,
      decisions: [{ leftId: holder.id, rightId: other.id, decision: "cannot_link" }],
    });
    expect(result.clustering.review).toHaveLength(0);
  });

  it("incremental: the arrival meets the holder through blocking and gets the batch's score and band", () => {
    const index = new BlockingIndex(compiled.plan);
    index.add(compiled.plan.prepare(holder));
    const arriving = compiled.plan.prepare(other);
    const candidates = index.candidates(arriving);
    expect(candidates.map((record) => record.id)).toEqual([holder.id]);
    const decision = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: candidates.map((record) => ({ record, clusterId: "P1" })),
    });
    expect(decision).toMatchObject({ action: "review", reason: "shared_identifier" });
    const batch = pairOf(linkBatch(settings, [holder, other], { model }))!;
    expect(decision.scored[0]).toMatchObject({
      weight: batch.weight,
      band: "review",
      reason: "shared_identifier",
    });
    const separated = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: candidates.map((record) => ({ record, clusterId: "P1" })),
      decisions: [{ otherRecordId: holder.id, otherClusterId: "P1", decision: "cannot_link" }],
    });
    expect(separated).toMatchObject({ action: "create", review: [] });
  });

  it("explains why the pair is in review though its score is below the band", () => {
    const explanation = explainPair(compiled, compiled.plan.prepare(holder), compiled.plan.prepare(other));
    expect(explanation).toMatchObject({
      band: "review",
      reviewReason: "shared_identifier",
      sharedIdentifier: "a_number",
    });
    expect(explanation.matchProbability).toBeLessThan(0.5);
    expect(explanation.reviewFloor?.note).toMatch(/agreeing a_number holds the pair in review/);
    expect(formatPairExplanation(explanation)).toContain(`  ${explanation.reviewFloor!.note}`);
  });
});

describe("passage link-file: a strong identifier column", () => {
  const config = parseLinkFileConfigOrThrow(PEOPLE_CONFIG);
  const columns = PEOPLE_COLUMNS;

  it("says review, not no_link, for two rows holding one value whose names and dates disagree", () => {
    const rows = [
      { ref: "a", first: "Ravi", last: "Singh", dob: "1998-02-02", nid: "X1000005" },
      { ref: "b", first: "Ravi", last: "Singh", dob: "1998-02-02", nid: "X1000005" },
      { ref: "c", first: "Olga", last: "Petrova", dob: "1951-11-23", nid: "X1000005" },
      { ref: "d", first: "Olga", last: "Petrova", dob: "1951-11-23", nid: "Z99" },
    ];
    const result = runLinkFile(config, [{ name: "people.csv", columns, rows }]);
    const decision = (left: string, right: string) =>
      result.pairs.find((pair) => pair.leftId === left && pair.rightId === right);
    expect(decision("a", "b")?.decision).toBe("link");
    expect(decision("a", "c")).toMatchObject({ decision: "review", matchProbability: expect.any(Number) });
    expect(decision("a", "c")!.matchProbability).toBeLessThan(0.2);
    expect(decision("b", "c")?.decision).toBe("review");
  });

  it("compares two rows holding one value even when the given blocking rules leave the identifier out", () => {
    const blocked = parseLinkFileConfigOrThrow({ ...PEOPLE_CONFIG, blocking: ["phonetic:last & year:dob"] });
    expect(blocked.settings.blockingRules.map((rule) => rule.name)).toEqual([
      "phonetic:last & year:dob",
      "value:nid",
    ]);
    const rows = [
      { ref: "a", first: "Ravi", last: "Singh", dob: "1998-02-02", nid: "X1000005" },
      { ref: "c", first: "Olga", last: "Petrova", dob: "1951-11-23", nid: "X1000005" },
    ];
    const result = runLinkFile(blocked, [{ name: "people.csv", columns, rows }]);
    expect(result.pairs).toEqual([
      expect.objectContaining({ leftId: "a", rightId: "c", decision: "review" }),
    ]);
  });
});
