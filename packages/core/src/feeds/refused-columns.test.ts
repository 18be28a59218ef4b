import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEED_SCHEMAS, FEEDS } from "./feed-schemas.ts";
import { findRefusedColumn, refusedColumnCategory } from "./refused-columns.ts";

const runs = process.env.PASSAGE_SOAK === "1" ? 10_000 : 300;
const options = { numRuns: runs };

/** Words of SOURCES.md's denylist, each as it might be spelled inside a column name. */
const REFUSED = [
  ["home", "address"],
  ["street"],
  ["residence", "city"],
  ["apartment"],
  ["postcode"],
  ["zip"],
  ["latitude"],
  ["longitude"],
  ["geolocation"],
  ["gps"],
  ["coordinates"],
  ["phone", "number"],
  ["mobile"],
  ["imei"],
  ["device", "id"],
  ["email"],
  ["ip"],
  ["license", "plate"],
  ["vehicle", "make"],
  ["vin"],
  ["photo"],
  ["face", "image"],
  ["fingerprint", "image"],
  ["biometric", "template"],
  ["iris"],
  ["height"],
  ["weight"],
  ["eye", "colour"],
  ["hair", "color"],
  ["scars", "marks", "tattoos"],
  ["race"],
  ["ethnicity"],
  ["religion"],
] as const;

/** Joins words the ways column names are written: snake, kebab, camel, Pascal, spaced, upper. */
const spell = (words: readonly string[], style: number): string => {
  switch (style % 6) {
    case 0:
      return words.join("_");
    case 1:
      return words.join("-");
    case 2:
      return words
        .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
        .join("");
    case 3:
      return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
    case 4:
      return words.join(" ");
    default:
      return words.join("_").toUpperCase();
  }
};

/** Column names and the category each is refused as (SOURCES.md "Refused columns", every entry). */
const REFUSED_NAMES: ReadonlyArray<readonly [column: string, category: string]> = [
  // address, street, apartment
  ["home_address", "address"],
  ["mailing_addr", "address"],
  ["street_name", "address"],
  ["apt_no", "address"],
  ["apartment", "address"],
  // residence, city/county of residence
  ["residence", "residence"],
  ["city", "residence"],
  ["county", "residence"],
  ["HOMECITY", "residence"],
  ["home_city_of_birth", "residence"],
  ["city_of_residence", "residence"],
  ["hometown", "residence"],
  ["location", "location"],
  ["workplace", "location"],
  ["p_residence", "residence"],
  // postcode / ZIP
  ["postcode", "postcode"],
  ["ZIP5", "postcode"],
  ["zip_code", "postcode"],
  // latitude, longitude, geolocation, GPS, coordinates
  ["latitude", "location"],
  ["Lat", "location"],
  ["Long", "location"],
  ["lat_long", "location"],
  ["gpslat", "location"],
  ["gps_fix", "location"],
  ["geolocation", "location"],
  ["coordinates", "location"],
  ["x_coord", "location"],
  // phone, mobile, IMEI, device
  ["phone_number", "phone"],
  ["mobile", "phone"],
  ["msisdn", "phone"],
  ["landline", "phone"],
  ["cellular", "phone"],
  ["cell_no", "phone"],
  ["imei", "device"],
  ["device_id", "device"],
  // email, IP
  ["email", "email"],
  ["e_mail", "email"],
  ["IPV4", "device"],
  ["ipv6_addr", "device"],
  ["IPAddress", "device"],
  ["ip", "device"],
  // licence plate, vehicle, VIN
  ["PLATENUMBER", "licence plate"],
  ["license_plate", "licence plate"],
  ["plate_no", "licence plate"],
  ["vehicle_make", "vehicle"],
  ["vin", "vehicle"],
  // photo, image, face, fingerprint image, biometric template, iris
  ["photo", "image"],
  ["MUGSHOT", "image"],
  ["face_image", "biometric"],
  ["fingerprint_image", "biometric"],
  ["biometric_template", "biometric"],
  ["iris", "biometric"],
  // height, weight, eye colour, hair colour, scars/marks/tattoos
  ["height", "appearance"],
  ["HEIGHTCM", "appearance"],
  ["weight", "appearance"],
  ["WEIGHTKG", "appearance"],
  ["eye_colour", "appearance"],
  ["EYECOLOR", "appearance"],
  ["HAIRCOLOR", "appearance"],
  ["haircolour", "appearance"],
  ["scars_marks_tattoos", "appearance"],
  // race, ethnicity, religion
  ["race", "race"],
  ["racecode", "race"],
  ["ethnicity", "ethnicity"],
  ["religion", "religion"],
];

/** Column names that name no denylisted data: an event's, an institution's or a birth's place, or innocent words. */
const ALLOWED_NAMES: readonly string[] = [
  "city_of_birth",
  "birthplace",
  "place_of_issue",
  "court_county",
  "hearing_location",
  "court_location",
  "county_of_conviction",
  "offense_city",
  "jurisdiction_county",
  "facility_location",
  "port_city",
  "departure_city",
  "cell_block",
  "cell_housing_unit",
  "translation",
  "belonging",
  "trace",
  "recipient",
  "latin_name",
  "long_name",
  "time_id",
  "coordinator",
  "allocation_id",
  "capacity",
  "template_no",
  "president",
  "home_country",
];

describe("refused columns", () => {
  it.each(REFUSED_NAMES)("refuses %s as %s", (column, category) => {
    expect(refusedColumnCategory(column)).toBe(category);
    expect(findRefusedColumn(["visa_id", column])).toEqual({ column, category });
  });

  it.each(ALLOWED_NAMES)("allows %s", (column) => {
    expect(refusedColumnCategory(column)).toBeUndefined();
  });

  it("refuses abbreviations, misspellings, other scripts' widths and accents of the denylist", () => {
    for (const column of [
      "mailing_addr",
      "Addr1",
      "adress",
      "Adrèsse",
      "ＡＤＤＲＥＳＳ",
      "house_number",
      "po_box",
      "hometown",
      "latlng",
      "geohash",
      "x_coord",
      "tel",
      "Telefono",
      "fax_no",
      "whatsapp_id",
      "facebook_url",
      "social_media_handle",
    ]) {
      expect(refusedColumnCategory(column), column).toBeDefined();
    }
  });
});

describe("refused columns (property)", () => {
  it("never throws on any column name", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 8 }), (columns) => {
        const refused = findRefusedColumn(columns);
        if (refused) expect(columns).toContain(refused.column);
      }),
      options,
    );
  });

  it("refuses every denylisted column however it is spelled, also inside a longer name", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REFUSED),
        fc.nat(),
        fc.constantFrom([], ["person"], ["last", "known"], ["current"]),
        fc.constantFrom([], ["value"], ["of", "record"]),
        (words, style, before, after) => {
          const column = spell([...before, ...words, ...after], style);
          expect(refusedColumnCategory(column), column).toBeDefined();
        },
      ),
      options,
    );
  });

  it("never refuses a field of the contract (institutional places are allowed)", () => {
    const fields = FEEDS.flatMap((feed) => FEED_SCHEMAS[feed].fields.map((field) => field.name));
    for (const field of fields) expect(refusedColumnCategory(field), field).toBeUndefined();
    fc.assert(
      fc.property(fc.shuffledSubarray(fields), (columns) => {
        expect(findRefusedColumn(columns)).toBeUndefined();
      }),
      options,
    );
  });

  it("names the first refused column of a header", () => {
    fc.assert(
      fc.property(fc.constantFrom(...REFUSED), fc.nat(), (words, style) => {
        const column = spell(words, style);
        expect(findRefusedColumn(["visa_id", column, "email"])?.column).toBe(column);
      }),
      options,
    );
  });
});
