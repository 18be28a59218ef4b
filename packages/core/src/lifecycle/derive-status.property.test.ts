import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDayNumber } from "./calendar-date.ts";
import { deriveStatus } from "./derive-status.ts";
import { dateAt, personAsOf, personEvents, recordsOf, SPAN_DAYS } from "./testing/arbitrary-person.ts";
import { citizenshipRecord, courtRecord } from "./testing/lifecycle-records.ts";

/**
 * Properties of the state machine over random event sequences (fast-check). `PASSAGE_SOAK=1`
 * runs many more cases (`npm run soak`).
 */

const soak = process.env.PASSAGE_SOAK === "1";
const settings = { numRuns: soak ? 10_000 : 300 };
// The soak's runs take minutes on a busy machine; the normal suite keeps vitest's default.
const timeout = soak ? 900_000 : undefined;

describe("lifecycle properties", () => {
  it(
    "no sequence of events makes a person with a citizenship record actionable",
    () => {
      fc.assert(
        fc.property(
          personAsOf,
          fc.integer({ min: 0, max: SPAN_DAYS }),
          fc.constantFrom("naturalized", "derived", "acquired", "birth_abroad", "verified_claim"),
          ({ specs, asOfOffset }, effectiveOffset, basis) => {
            const effective = dateAt(Math.min(effectiveOffset, asOfOffset));
            const certificate = citizenshipRecord("CERT-P", basis, effective);
            const records = recordsOf(specs);
            // A naturalisation revoked since (an N-400 revoked on or after the certificate, INA 340)
            // is no longer a citizenship record; every other one holds whatever the events.
            const revokedSince = records.some(
              (record) =>
                record.feed === "benefit" &&
                record.fields.form_type === "N-400" &&
                record.fields.event === "revoked" &&
                String(record.fields.event_date) >= effective,
            );
            if (basis === "naturalized" && revokedSince) return;
            const status = deriveStatus([...records, certificate], { asOf: dateAt(asOfOffset) });
            expect(status.finalOrderExecutable).toBe(false);
            expect(status.state.primary).toBe("USC");
            expect(status.blockers.find((blocker) => blocker.code === "USC")?.evidence).toContainEqual({
              feed: "citizenship",
              recordKey: "CERT-P",
              version: 1,
            });
          },
        ),
        settings,
      );
    },
    timeout,
  );

  it(
    "a citizen at birth is one on every as-of date, whatever the record's effective date",
    () => {
      fc.assert(
        fc.property(
          personAsOf,
          fc.integer({ min: 0, max: SPAN_DAYS + 400 }),
          fc.constantFrom("acquired", "birth_abroad", "verified_claim"),
          ({ specs, asOfOffset }, effectiveOffset, basis) => {
            const certificate = citizenshipRecord("CERT-P", basis, dateAt(effectiveOffset));
            const status = deriveStatus([...recordsOf(specs), certificate], { asOf: dateAt(asOfOffset) });
            expect(status.finalOrderExecutable).toBe(false);
            expect(status.state.primary).toBe("USC");
            expect(status.state.since).toBe("1980-05-05");
            expect(status.facts.citizenship).toMatchObject({ basis, effectiveDate: dateAt(effectiveOffset) });
          },
        ),
        settings,
      );
    },
    timeout,
  );

  it("a naturalization or an INA 320 derivation counts only from its effective date", () => {
    for (const basis of ["naturalized", "derived"]) {
      const certificate = citizenshipRecord("CERT-P", basis, dateAt(500));
      expect(deriveStatus([certificate], { asOf: dateAt(499) }).state.primary).not.toBe("USC");
      expect(deriveStatus([certificate], { asOf: dateAt(500) }).state).toMatchObject({
        primary: "USC",
        since: dateAt(500),
      });
    }
  });

  it(
    "a stay always blocks until it is lifted or expires",
    () => {
      fc.assert(
        fc.property(
          personAsOf,
          fc.integer({ min: 0, max: SPAN_DAYS }),
          fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
          fc.integer({ min: 0, max: 1 }),
          ({ specs, asOfOffset }, grantedOffset, length, caseIndex) => {
            const records = recordsOf(specs);
            const stay = courtRecord("C-STAY", `K-${caseIndex}`, "stay_granted", dateAt(grantedOffset), {
              ...(length === undefined ? {} : { deadline: dateAt(grantedOffset + length) }),
            });
            const status = deriveStatus([...records, stay], { asOf: dateAt(asOfOffset) });
            // Lifted by the first stay_lifted of its case after the grant. A lift on the grant's own
            // day lifts it only when the case has no earlier stay in effect for it to lift (golden
            // tests hold both readings), so such a day is left out here.
            const liftOffsets = records
              .filter(
                (record) =>
                  record.feed === "court" &&
                  record.fields.case_id === `K-${caseIndex}` &&
                  record.fields.event_type === "stay_lifted",
              )
              .map(
                (record) => parseDayNumber(String(record.fields.event_date))! - parseDayNumber(dateAt(0))!,
              );
            if (liftOffsets.includes(grantedOffset)) return;
            const liftedOffsets = liftOffsets.filter((day) => day > grantedOffset);
            const liftedOffset =
              liftedOffsets.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...liftedOffsets);
            const inEffect =
              asOfOffset >= grantedOffset &&
              asOfOffset < liftedOffset &&
              (length === undefined || asOfOffset <= grantedOffset + length);
            if (inEffect) {
              expect(status.overlays.map((overlay) => overlay.overlay)).toContain("STAY");
              expect(status.finalOrderExecutable).toBe(false);
              // For a citizen (an N-400 approval among the random events) USC is the only blocker.
              const expected = status.state.primary === "USC" ? "USC" : "STAY_GRANTED";
              expect(status.blockers.map((blocker) => blocker.code)).toContain(expected);
            }
          },
        ),
        settings,
      );
    },
    timeout,
  );

  it(
    "finality never precedes the end of the appeal window unless appeal was waived or the order was in absentia",
    () => {
      fc.assert(
        fc.property(personAsOf, ({ specs, asOfOffset }) => {
          const status = deriveStatus(recordsOf(specs), { asOf: dateAt(asOfOffset) });
          const court = status.facts.court;
          if (court?.finality == null) return;
          const decision = court.decision!;
          if (decision.appealWaived || decision.inAbsentia) return;
          expect(court.finality.finalOn > decision.appealDeadline).toBe(true);
        }),
        settings,
      );
    },
    timeout,
  );

  it(
    "replaying the same records in any arrival order gives the same status",
    () => {
      fc.assert(
        fc.property(personAsOf, fc.integer(), ({ specs, asOfOffset }, seed) => {
          const records = recordsOf(specs);
          const shuffled = fc.sample(fc.shuffledSubarray(records, { minLength: records.length }), {
            numRuns: 1,
            seed,
          })[0]!;
          const asOf = dateAt(asOfOffset);
          expect(deriveStatus(shuffled, { asOf })).toEqual(deriveStatus(records, { asOf }));
          expect(deriveStatus([...records].reverse(), { asOf })).toEqual(deriveStatus(records, { asOf }));
        }),
        settings,
      );
    },
    timeout,
  );

  it(
    "the status as of a date depends only on events dated on or before it",
    () => {
      fc.assert(
        fc.property(personAsOf, personEvents, ({ specs, asOfOffset }, laterSpecs) => {
          const records = recordsOf(specs);
          // Another set of events for the same person (joining the same court cases), all after the as-of date.
          const later = recordsOf(laterSpecs, "F", asOfOffset + 1);
          const asOf = dateAt(asOfOffset);
          // nextChangeOn looks past the as-of date by design; everything else must not.
          const { nextChangeOn: withLater, ...withLaterEvents } = deriveStatus([...records, ...later], {
            asOf,
          });
          const { nextChangeOn, ...without } = deriveStatus(records, { asOf });
          expect(withLaterEvents).toEqual(without);
          if (withLater !== null) {
            expect(withLater > asOf).toBe(true);
            if (nextChangeOn !== null) expect(withLater <= nextChangeOn).toBe(true);
          } else {
            expect(nextChangeOn).toBeNull();
          }
        }),
        settings,
      );
    },
    timeout,
  );

  it(
    "a status is plain JSON and cites only records it was given",
    () => {
      fc.assert(
        fc.property(personAsOf, ({ specs, asOfOffset }) => {
          const records = recordsOf(specs);
          const status = deriveStatus(records, { asOf: dateAt(asOfOffset) });
          expect(JSON.parse(JSON.stringify(status))).toEqual(status);
          const known = new Set(
            records.map((record) => `${record.feed}:${record.recordKey}@v${record.version}`),
          );
          for (const entry of status.evidence) {
            expect(known.has(`${entry.feed}:${entry.recordKey}@v${entry.version}`)).toBe(true);
          }
          if (status.finalOrderExecutable) {
            // Under a claimed departure alone the order stands where it would without the claim.
            const orderState =
              status.gateInputs.claimedDeparturePending?.stateWithoutClaim ?? status.state.primary;
            expect(["FINAL_ORDER", "REMOVAL_IN_PROGRESS"]).toContain(orderState);
            expect(status.blockers.filter((blocker) => blocker.binding === "law")).toEqual([]);
          }
        }),
        settings,
      );
    },
    timeout,
  );
});
