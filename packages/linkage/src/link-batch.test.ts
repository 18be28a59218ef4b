import { describe, expect, it } from "vitest";
import { BlockingIndex } from "./blocking/blocking-index.ts";
import { assignStableIds } from "./cluster/assign-stable-ids.ts";
import { strongIdentifiersConflict } from "./cluster/cluster-records.ts";
import { evaluateClusters } from "./evaluate/evaluate-clusters.ts";
import { precisionRecallTable } from "./evaluate/evaluate-pairs.ts";
import { FEED_LINKAGE_SETTINGS } from "./feed/feed-linkage.ts";
import { decideIncrementalLink } from "./incremental/decide-incremental-link.ts";
import { linkBatch } from "./link-batch.ts";
import { LINK_BANDS } from "./model/classify-pair.ts";
import { compileModel, probabilityOfWeight } from "./model/compiled-model.ts";
import { explainPair } from "./model/explain-pair.ts";
import { PairScorer } from "./model/pair-scorer.ts";
import { parseLinkageModelOrThrow, serialiseLinkageModel } from "./model/parse-linkage-model.ts";
import { synthesiseFeedPopulation } from "./testing/synthesise-feed-population.ts";

const TRAINING = { randomPairs: 100_000, pairsPerSession: 50_000 };
const population = synthesiseFeedPopulation({ persons: 1_500, seed: 3 });
const batch = linkBatch(FEED_LINKAGE_SETTINGS, population.records, { training: TRAINING });
const ids = batch.records.map((record) => record.id);

describe("batch linking of a synthetic population", () => {
  it("is precise and finds most persons", () => {
    const clusterOf = new Map(ids.map((id, index) => [id, String(batch.clustering.clusterOf[index])]));
    const figures = evaluateClusters(clusterOf, population.truth, (id) => population.aNumberOf.get(id));
    expect(figures.bCubedPrecision).toBeGreaterThan(0.99);
    expect(figures.bCubedRecall).toBeGreaterThan(0.6);
    expect(figures.mergesWithConflictingIdentifiers).toBe(0);
  });

  it("never puts two conflicting A-numbers or passports in one automatic cluster", () => {
    for (const members of batch.clustering.clusters) {
      const held = members.flatMap((index) => batch.compiled.strongIdentifiers(batch.records[index]!));
      for (const a of held) {
        // At most a one-typo difference, and only one the cluster's other identifiers corroborate.
        for (const b of held) expect(strongIdentifiersConflict(a, b, true)).toBe(false);
      }
    }
  });

  it("gives every pair the same score on the batch, incremental and explanation paths", () => {
    const index = new BlockingIndex(batch.compiled.plan);
    for (const record of batch.records) index.add(record);
    const clusterIdOf = (recordIndex: number) => `C${batch.clustering.clusterOf[recordIndex]}`;
    const indexOfId = new Map(ids.map((id, position) => [id, position]));
    for (let pair = 0; pair < batch.pairs.count; pair += 97) {
      const left = batch.records[batch.pairs.left[pair]!]!;
      const right = batch.records[batch.pairs.right[pair]!]!;
      const candidates = index.candidates(left);
      expect(candidates.map((candidate) => candidate.id)).toContain(right.id);
      const decision = decideIncrementalLink(batch.compiled, {
        record: left,
        candidates: candidates.map((record) => ({
          record,
          clusterId: clusterIdOf(indexOfId.get(record.id)!),
        })),
      });
      const incremental = decision.scored.find((scored) => scored.recordId === right.id)!;
      expect(incremental.weight).toBe(batch.pairs.weight[pair]);
      expect(explainPair(batch.compiled, left, right).matchWeight).toBe(batch.pairs.weight[pair]);
    }
  });

  it("saves and reloads the model artefact with identical scores", () => {
    const text = serialiseLinkageModel(batch.model);
    const reloaded = compileModel(parseLinkageModelOrThrow(text));
    const original = new PairScorer(batch.compiled);
    const again = new PairScorer(reloaded);
    for (let pair = 0; pair < batch.pairs.count; pair += 13) {
      const left = batch.records[batch.pairs.left[pair]!]!;
      const right = batch.records[batch.pairs.right[pair]!]!;
      expect(again.score(left, right)).toBe(original.score(left, right));
    }
    const document = JSON.parse(text);
    expect(document.schema).toBe("passage.linkage-model");
    expect(() => parseLinkageModelOrThrow({ ...document, schemaVersion: 99 })).toThrow(/schema version 99/);
    expect(() =>
      parseLinkageModelOrThrow({ ...document, parameters: { ...document.parameters, prior: 2 } }),
    ).toThrow(/parameters.prior/);
  });

  it("explains a pair as a waterfall that adds up to its weight", () => {
    const pair = LINK_BANDS.indexOf("auto_link");
    const first = batch.pairs.band.indexOf(pair);
    const explanation = explainPair(
      batch.compiled,
      batch.records[batch.pairs.left[first]!]!,
      batch.records[batch.pairs.right[first]!]!,
    );
    expect(
      explanation.fields.at(-1)!.cumulativeWeight +
        explanation.fullNameAdjustment +
        explanation.namesakeAdjustment,
    ).toBeCloseTo(explanation.matchWeight, 9);
    expect(explanation.matchProbability).toBeCloseTo(probabilityOfWeight(explanation.matchWeight), 12);
    expect(explanation.band).toBe("auto_link");
  });

  it("never links on name and date of birth alone", () => {
    const namesAndDates = population.records.map((record) => ({
      id: record.id,
      values: {
        given_names: record.values.given_names,
        family_name: record.values.family_name,
        date_of_birth: record.values.date_of_birth,
      },
    }));
    const result = linkBatch(FEED_LINKAGE_SETTINGS, namesAndDates, { model: batch.model });
    const autoLink = LINK_BANDS.indexOf("auto_link");
    expect(result.pairs.band.filter((band) => band === autoLink)).toHaveLength(0);
    expect(result.clustering.review.some((item) => item.reason === "name_and_date_only")).toBe(true);
    expect(result.clustering.clusters).toHaveLength(namesAndDates.length);
  });

  it("sends a renewed passport's record without a birth date to review with its holder, not alone", () => {
    const holder = {
      given_names: "ANDREAS",
      family_name: "VON BERG",
      date_of_birth: "1962-03-27",
      sex: "M",
      nationality: "DEU",
      passport_number: "CY5500939",
      passport_country: "DEU",
    };
    const records = [
      { id: "encounter:1", values: { ...holder, a_number: "221123027" } },
      {
        id: "court:2",
        values: { ...holder, passport_number: "", passport_country: "", a_number: "221123027" },
      },
      {
        id: "admission:3",
        values: { ...holder, family_name: "VONBERG", date_of_birth: "", passport_number: "CJ4340305" },
      },
    ];
    const result = linkBatch(FEED_LINKAGE_SETTINGS, records, { model: batch.model });
    const { clusterOf, review } = result.clustering;
    expect(clusterOf[0]).toBe(clusterOf[1]);
    expect(clusterOf[2]).not.toBe(clusterOf[0]);
    expect(review.some((item) => [item.left, item.right].includes(2))).toBe(true);
  });

  it("sends a court decision naming only the surname and a second A-number to review with its case", () => {
    // The removal order of a case whose decision lists the respondent by surname, nationality and
    // another A-number: no name rule meets it, and scored on those alone it is a stranger (0.0035).
    // The case number it shares with the case's hearings joins it to them, for review.
    const respondent = { family_name: "REYES", given_names: "MARIA CRISTINA", sex: "F", nationality: "PHL" };
    const records = [
      {
        id: "court:1",
        values: { ...respondent, date_of_birth: "1973-06-02", a_number: "A49427701", case_id: "3670332540" },
      },
      { id: "court:2", values: { ...respondent, a_number: "49427701", case_id: "3670332540" } },
      {
        id: "court:3",
        values: { family_name: "REYES", nationality: "PHL", a_number: "237583180", case_id: "3670332540" },
      },
      // Another Reyes of the Philippines in another case: nothing joins the decision to her.
      {
        id: "court:4",
        values: {
          ...respondent,
          given_names: "ANA",
          date_of_birth: "1980-01-09",
          a_number: "51122334",
          case_id: "3670339999",
        },
      },
    ];
    const result = linkBatch(FEED_LINKAGE_SETTINGS, records, { model: batch.model });
    const { clusterOf, review } = result.clustering;
    expect(clusterOf[0]).toBe(clusterOf[1]);
    // Two A-numbers are never merged automatically: the decision waits on a reviewer.
    expect(clusterOf[2]).not.toBe(clusterOf[0]);
    const decisionItems = review.filter((item) => [item.left, item.right].includes(2));
    expect(decisionItems.length).toBeGreaterThan(0);
    expect(
      decisionItems.every((item) => [item.left, item.right].some((index) => index === 0 || index === 1)),
    ).toBe(true);
    expect(review.some((item) => [item.left, item.right].includes(3))).toBe(false);
  });

  it("honours a cannot-link decision on a linked pair, in every later run", () => {
    const cluster = batch.clustering.clusters.find((members) => members.length >= 3)!;
    const [first, second] = [ids[cluster[0]!]!, ids[cluster[1]!]!];
    const result = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
      model: batch.model,
      decisions: [{ leftId: first, rightId: second, decision: "cannot_link" }],
    });
    expect(result.clustering.clusterOf[cluster[0]!]).not.toBe(result.clustering.clusterOf[cluster[1]!]);
  });

  it("keeps at least 99% of person ids after adding 1% new records and re-linking", () => {
    const previous = new Map<string, string[]>();
    for (const [index, members] of batch.clustering.clusters.entries()) {
      previous.set(
        `P${index}`,
        members.map((member) => ids[member]!),
      );
    }
    const extra = synthesiseFeedPopulation({ persons: 1_520, seed: 3 }).records.slice(
      population.records.length,
    );
    const added = extra.slice(0, Math.ceil(population.records.length / 100));
    expect(added.length).toBeGreaterThan(0);
    const relinked = linkBatch(FEED_LINKAGE_SETTINGS, [...population.records, ...added], {
      model: batch.model,
    });
    const nextIds = relinked.records.map((record) => record.id);
    let minted = 0;
    const assignment = assignStableIds(
      previous,
      relinked.clustering.clusters.map((members) => members.map((member) => nextIds[member]!)),
      () => `N${++minted}`,
    );
    const kept = [...previous.keys()].filter((id) => assignment.ids.includes(id)).length;
    expect(kept / previous.size).toBeGreaterThanOrEqual(0.99);
  });

  it("tabulates precision and recall over thresholds, recall never rising with the threshold", () => {
    const scored = Array.from({ length: batch.pairs.count }, (_, pair) => ({
      left: ids[batch.pairs.left[pair]!]!,
      right: ids[batch.pairs.right[pair]!]!,
      probability: probabilityOfWeight(batch.pairs.weight[pair]!),
    }));
    const table = precisionRecallTable(scored, { truth: population.truth, linkType: "dedupe" });
    for (let row = 1; row < table.length; row += 1)
      expect(table[row]!.recall).toBeLessThanOrEqual(table[row - 1]!.recall);
    expect(table.at(-1)!.precision).toBeGreaterThan(0.99);
  });
});
