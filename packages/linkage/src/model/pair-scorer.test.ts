import { describe, expect, it } from "vitest";
import { FEED_LINKAGE_SETTINGS } from "../feed/feed-linkage.ts";
import { linkBatch } from "../link-batch.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { explainPair } from "./explain-pair.ts";
import { PairScorer } from "./pair-scorer.ts";

const population = synthesiseFeedPopulation({ persons: 400, seed: 5 });
const { compiled } = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
  training: { randomPairs: 50_000, pairsPerSession: 20_000 },
});
const record = (id: string, values: Record<string, string>) => compiled.plan.prepare({ id, values });
const name = {
  given_names: "Wali",
  family_name: "Ahmadzai",
  sex: "M",
  nationality: "AFG",
  country_of_birth: "AFG",
};

describe("corroboration without a birth date", () => {
  it("takes nothing from sex, nationality or country of birth when a birth date is missing", () => {
    const scorer = new PairScorer(compiled);
    scorer.score(record("a", { ...name, date_of_birth: "1955-12-07" }), record("b", name));
    expect(scorer.corroboratingWeight).toBe(0);
    const explanation = explainPair(
      compiled,
      record("a", { ...name, date_of_birth: "1955-12-07" }),
      record("b", name),
    );
    expect(explanation.band).not.toBe("auto_link");
  });

  it("still counts them when both records hold a birth date", () => {
    const scorer = new PairScorer(compiled);
    scorer.score(
      record("a", { ...name, date_of_birth: "1955-12-07" }),
      record("b", { ...name, date_of_birth: "1955-12-07" }),
    );
    expect(scorer.corroboratingWeight).toBeGreaterThan(2);
  });

  it("lets an agreeing identifier corroborate a pair without a birth date", () => {
    const scorer = new PairScorer(compiled);
    scorer.score(
      record("a", { ...name, a_number: "A190271771" }),
      record("b", { ...name, a_number: "190271771", date_of_birth: "1955-12-07" }),
    );
    expect(scorer.corroboratingWeight).toBeGreaterThan(
      compiled.artefact.settings.safeguards.minimumCorroboratingWeight,
    );
  });
});
