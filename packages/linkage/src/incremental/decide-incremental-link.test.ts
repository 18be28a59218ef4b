import type { SourceRecord } from "@passage/core";
import { describe, expect, it } from "vitest";
import { FEED_LINKAGE_SETTINGS, linkageRecordOfSourceRecords } from "../feed/feed-linkage.ts";
import { linkBatch, scoreCandidatePairs } from "../link-batch.ts";
import { LINK_BANDS, REVIEW_REASONS } from "../model/classify-pair.ts";
import { createComparisonPlan, type LinkageRecord } from "../model/prepared-record.ts";
import { validateLinkageSettingsOrThrow } from "../model/validate-settings.ts";
import { synthesiseFeedPopulation } from "../testing/synthesise-feed-population.ts";
import { decideIncrementalLink } from "./decide-incremental-link.ts";

const population = synthesiseFeedPopulation({ persons: 800, seed: 9 });
const { compiled, model } = linkBatch(FEED_LINKAGE_SETTINGS, population.records, {
  training: { randomPairs: 50_000, pairsPerSession: 30_000 },
});
const plan = createComparisonPlan(FEED_LINKAGE_SETTINGS);
const person = (id: string, values: Record<string, string>): LinkageRecord => ({ id, values });
const base = {
  given_names: "Zainab",
  family_name: "Okonkwo-Haddad",
  date_of_birth: "1983-04-19",
  sex: "F",
  nationality: "NGA",
};

describe("incremental decisions", () => {
  it("attaches on a corroborated link, creates when nothing links", () => {
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const arriving = plan.prepare(person("benefit:1", { ...base, a_number: "123-456-789" }));
    const attach = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: existing, clusterId: "P1" }],
    });
    expect(attach).toMatchObject({ action: "attach", clusterId: "P1" });
    const stranger = plan.prepare(
      person("visa:9", { given_names: "Piotr", family_name: "Nowak", date_of_birth: "1950-10-10" }),
    );
    expect(
      decideIncrementalLink(compiled, {
        record: stranger,
        candidates: [{ record: existing, clusterId: "P1" }],
      }).action,
    ).toBe("create");
  });

  it("sends name and date of birth alone, a conflicting A-number, or a bridge between persons to review", () => {
    const namesOnly = plan.prepare(
      person("conviction:1", {
        given_names: base.given_names,
        family_name: base.family_name,
        date_of_birth: base.date_of_birth,
      }),
    );
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const review = decideIncrementalLink(compiled, {
      record: namesOnly,
      candidates: [{ record: existing, clusterId: "P1" }],
    });
    expect(review).toMatchObject({ action: "review", reason: "name_and_date_only" });

    const arriving = plan.prepare(
      person("benefit:2", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const holder = plan.prepare(
      person("visa:2", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const conflicting = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: holder, clusterId: "P2" }],
      clusterIdentifiers: new Map([
        ["P2", [{ scheme: "passport:NGA", value: "Q7654321", toleratesTypos: true }]],
      ]),
    });
    expect(conflicting).toMatchObject({ action: "review", reason: "conflicting_identifiers" });

    const other = plan.prepare(
      person("visa:3", { ...base, passport_number: "X1234567", passport_country: "NGA" }),
    );
    const bridge = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [
        { record: holder, clusterId: "P2" },
        { record: other, clusterId: "P3" },
      ],
    });
    expect(bridge).toMatchObject({ action: "review", reason: "joins_two_persons" });
  });

  it("honours human decisions: cannot-link excludes a person, must-link attaches", () => {
    const existing = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
    const arriving = plan.prepare(person("benefit:1", { ...base, a_number: "123456789" }));
    const excluded = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: existing, clusterId: "P1" }],
      decisions: [{ otherRecordId: "court:1", otherClusterId: "P1", decision: "cannot_link" }],
    });
    expect(excluded.action).toBe("create");
    const stranger = plan.prepare(person("visa:9", { given_names: "Piotr", family_name: "Nowak" }));
    const forced = decideIncrementalLink(compiled, {
      record: stranger,
      candidates: [],
      decisions: [{ otherRecordId: "court:1", otherClusterId: "P1", decision: "must_link" }],
    });
    expect(forced).toMatchObject({ action: "attach", clusterId: "P1" });
  });
});

describe("a record auto-linking to two persons that could never be one", () => {
  // Two records of one name, birth date and A-number, holding two passports of one country: the
  // batch keeps them apart (conflicting identifiers). A record with the A-number and no passport
  // auto-links to both. Where the admission lacks the sex the visa's pair is the stronger; where
  // both hold it the two pairs weigh alike and the batch's tie-break (record ids) decides.
  const shared = { ...base, nationality: "MEX", a_number: "A210066001" };
  const visa = person("visa:V-66", { ...shared, passport_number: "M1111111", passport_country: "MEX" });
  const { sex: _sex, ...withoutSex } = shared;
  const departure = person("departure:66", { ...shared });

  it.each([
    { pairs: "the visa's pair the stronger", admissionSex: false, joins: "P-VISA" },
    { pairs: "equally strong pairs", admissionSex: true, joins: "P-ADMISSION" },
  ])(
    "joins the person of its strongest auto-link and asks about the other, as a batch link of the same records does ($pairs)",
    ({ admissionSex, joins }) => {
      const admission = person("admission:66", {
        ...(admissionSex ? shared : withoutSex),
        passport_number: "M2222222",
        passport_country: "MEX",
      });
      const batch = linkBatch(FEED_LINKAGE_SETTINGS, [visa, admission, departure], { model });
      const ids = [visa.id, admission.id, departure.id];
      const [visaCluster, admissionCluster, departureCluster] = ids.map(
        (_, index) => batch.clustering.clusterOf[index]!,
      );
      expect(visaCluster).not.toBe(admissionCluster);

      const existing = [visa, admission].map((record) => plan.prepare(record));
      const clusterOfRecord = new Map([
        [visa.id, "P-VISA"],
        [admission.id, "P-ADMISSION"],
      ]);
      const decision = decideIncrementalLink(compiled, {
        record: plan.prepare(departure),
        candidates: existing.map((record) => ({ record, clusterId: clusterOfRecord.get(record.id)! })),
        clusterIdentifiers: new Map(
          existing.map((record) => [clusterOfRecord.get(record.id)!, compiled.strongIdentifiers(record)]),
        ),
      });
      expect(decision.scored.map((candidate) => candidate.band)).toEqual(["auto_link", "auto_link"]);
      const [visaPair, admissionPair] = decision.scored.map((candidate) => candidate.weight);
      if (admissionSex) expect(visaPair).toBe(admissionPair);
      else expect(visaPair).toBeGreaterThan(admissionPair!);
      // Membership: the departure is where the batch put it.
      const joined = departureCluster === visaCluster ? "P-VISA" : "P-ADMISSION";
      expect(departureCluster === visaCluster || departureCluster === admissionCluster).toBe(true);
      expect(joined).toBe(joins);
      expect(decision).toMatchObject({ action: "attach", clusterId: joined });
      // Review: the batch's items between the departure and the other person, with its reasons.
      const batchReview = batch.clustering.review
        .filter((item) => item.left === 2 || item.right === 2)
        .map((item) => ({ other: ids[item.left === 2 ? item.right : item.left], reason: item.reason }));
      expect(batchReview.length).toBeGreaterThan(0);
      expect(decision.review.map((item) => ({ other: item.recordId, reason: item.reason }))).toEqual(
        batchReview,
      );
    },
  );

  it("still refuses to join two persons that do not conflict on one arriving record", () => {
    const twin = person("admission:67", {
      ...withoutSex,
      passport_number: "M1111111",
      passport_country: "MEX",
    });
    const decision = decideIncrementalLink(compiled, {
      record: plan.prepare(departure),
      candidates: [
        { record: plan.prepare(visa), clusterId: "P-VISA" },
        { record: plan.prepare(twin), clusterId: "P-TWIN" },
      ],
      clusterIdentifiers: new Map([
        ["P-VISA", compiled.strongIdentifiers(plan.prepare(visa))],
        ["P-TWIN", compiled.strongIdentifiers(plan.prepare(twin))],
      ]),
    });
    expect(decision).toMatchObject({ action: "review", reason: "joins_two_persons" });
  });
});

describe("cautious review", () => {
  // Names agree, the birth date does not: far below the review threshold of 0.5 for most pairs.
  const namesake = { given_names: "Zainab", family_name: "Okonkwo-Haddad", date_of_birth: "1991-07-02" };
  const order = plan.prepare(person("court:1", { ...base, a_number: "A123456789" }));
  const decide = (id: string, values: Record<string, string>) =>
    decideIncrementalLink(compiled, {
      record: plan.prepare(person(id, values)),
      candidates: [{ record: order, clusterId: "P1" }],
    });

  it("reviews a departure against a court record from 1 in 20, other feeds from the usual threshold", () => {
    const departure = decide("departure:7", namesake);
    expect(departure.scored[0]!.probability).toBeGreaterThanOrEqual(0.05);
    expect(departure.scored[0]!.probability).toBeLessThan(0.5);
    expect(departure).toMatchObject({ action: "review", reason: "could_bar_action" });
    expect(decide("visa:7", namesake)).toMatchObject({ action: "create" });
    const weaker = decide("departure:8", { ...namesake, family_name: "Okonkwo", nationality: "NGA" });
    expect(weaker.scored[0]!.probability).toBeLessThan(0.05);
    expect(weaker.action).toBe("create");
  });

  it("bands the pair the same in batch scoring, in either order", () => {
    const departure = plan.prepare(person("departure:7", namesake));
    const pairs = scoreCandidatePairs(compiled, [departure, order], {
      count: 2,
      left: Int32Array.of(0, 1),
      right: Int32Array.of(1, 0),
      rule: Uint8Array.of(0, 0),
    });
    expect([...pairs.band].map((band) => LINK_BANDS[band])).toEqual(["review", "review"]);
    expect([...pairs.reason].map((reason) => REVIEW_REASONS[reason])).toEqual([
      "could_bar_action",
      "could_bar_action",
    ]);
  });

  it("refuses a cautious threshold above the review threshold and a pair that is not two classes", () => {
    const settings = (cautiousReview: unknown) => ({
      ...FEED_LINKAGE_SETTINGS,
      thresholds: { autoLinkProbability: 0.995, reviewProbability: 0.5, cautiousReview },
    });
    expect(() =>
      validateLinkageSettingsOrThrow(
        settings({ reviewProbability: 0.6, classPairs: [["court", "departure"]] }),
      ),
    ).toThrow(/thresholds\.cautiousReview.*must not exceed the review threshold 0\.5/);
    expect(() =>
      validateLinkageSettingsOrThrow(settings({ reviewProbability: 0.05, classPairs: [["court"]] })),
    ).toThrow(/classPairs\[0\].*not two record classes/);
    expect(validateLinkageSettingsOrThrow(settings(FEED_LINKAGE_SETTINGS.thresholds.cautiousReview))).toEqual(
      FEED_LINKAGE_SETTINGS,
    );
  });
});

describe("feed adapter", () => {
  it("makes one linkage record per feed:key from its newest rows", () => {
    const row = (version: number, recordedAt: string, fields: Record<string, string>): SourceRecord => ({
      id: String(version),
      feed: "benefit",
      keyValue: "IOE0123456789",
      recordKey: `IOE0123456789|${version === 1 ? "filed" : "approved"}`,
      version,
      fields: { receipt_number: "IOE0123456789", ...fields },
      recordedAt,
    });
    const record = linkageRecordOfSourceRecords([
      row(1, "2024-01-01T00:00:00.000Z", {
        family_name: "Garcia",
        given_names: "Ana",
        a_number: "012345678",
      }),
      row(2, "2024-02-01T00:00:00.000Z", { family_name: "García López", form_type: "I-485" }),
    ]);
    expect(record.id).toBe("benefit:IOE0123456789");
    expect(record.values).toEqual({ family_name: "García López", given_names: "Ana", a_number: "012345678" });
  });
});

describe("a candidate a placement holds in its person", () => {
  // A departure a redress correction placed in P-X carries Y's passport: a record of Y arriving
  // auto-links to it, as clustering meets the pair; the placement, not its content, says whose it is.
  const passport = { ...base, nationality: "MEX", passport_number: "G31538093", passport_country: "MEX" };
  const placedDeparture = plan.prepare(person("departure:PLACED", passport));
  const arriving = plan.prepare(person("visa:Y", passport));

  it("joins the arrival to no person: it stands alone, as clustering holds a placed record's auto-links", () => {
    const decision = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [{ record: placedDeparture, clusterId: "P-X", placed: true }],
    });
    expect(decision.scored.map((candidate) => candidate.band)).toEqual(["auto_link"]);
    expect(decision).toMatchObject({ action: "create", review: [] });
    // Not placed, the same candidate attaches the arrival (as before).
    expect(
      decideIncrementalLink(compiled, {
        record: arriving,
        candidates: [{ record: placedDeparture, clusterId: "P-X" }],
      }),
    ).toMatchObject({ action: "attach", clusterId: "P-X" });
  });

  it("leaves the arrival to join the person its other auto-links reach", () => {
    const holder = plan.prepare(person("admission:Y", passport));
    const decision = decideIncrementalLink(compiled, {
      record: arriving,
      candidates: [
        { record: placedDeparture, clusterId: "P-X", placed: true },
        { record: holder, clusterId: "P-Y" },
      ],
    });
    expect(decision).toMatchObject({ action: "attach", clusterId: "P-Y", review: [] });
  });
});
