/**
 * The column denylist of SOURCES.md ("Refused columns"): Passage holds no data about where a
 * person lives or is, and no contact, device, vehicle, social-media, image, biometric, appearance
 * or protected-characteristic data (the product's line, README). A file whose header names such a
 * column is refused whole; abbreviations and misspellings of those names too.
 */

/** Distinctive stems refused wherever they appear in a column name (they occur in no innocent name). */
const REFUSED_STEMS: ReadonlyArray<readonly [stem: string, category: string]> = [
  // address, and its abbreviations and misspellings: mailing_addr, addr1, adress, Adresse
  ["addr", "address"],
  ["adress", "address"],
  ["housenumber", "address"],
  ["houseno", "address"],
  ["pobox", "address"],
  ["postbox", "address"],
  ["hometown", "residence"],
  ["neighbourhood", "residence"],
  ["neighborhood", "residence"],
  ["street", "address"],
  ["residen", "residence"],
  ["apartment", "address"],
  ["postcode", "postcode"],
  ["postal", "postcode"],
  ["zipcode", "postcode"],
  ["latitude", "location"],
  ["longitude", "location"],
  ["geoloc", "location"],
  ["coordinat", "location"],
  ["latlng", "location"],
  ["latlon", "location"],
  ["lnglat", "location"],
  ["lonlat", "location"],
  ["geohash", "location"],
  ["geocod", "location"],
  ["geopoint", "location"],
  ["whereabouts", "location"],
  ["domicile", "residence"],
  ["phone", "phone"],
  ["telefon", "phone"],
  ["whatsapp", "phone"],
  ["socialmedia", "social media"],
  ["facebook", "social media"],
  ["instagram", "social media"],
  ["twitter", "social media"],
  ["tiktok", "social media"],
  ["imei", "device"],
  ["email", "email"],
  ["licenseplate", "licence plate"],
  ["licenceplate", "licence plate"],
  ["vehicle", "vehicle"],
  ["photo", "image"],
  ["biometric", "biometric"],
  ["fingerprintimage", "biometric"],
  ["tattoo", "appearance"],
  ["ethnic", "ethnicity"],
  ["religio", "religion"],
];

/** Short or ambiguous words refused only as a whole word of the column name. */
const REFUSED_WORDS: ReadonlyMap<string, string> = new Map([
  ["zip", "postcode"],
  ["city", "residence"],
  ["county", "residence"],
  ["apt", "address"],
  ["location", "location"],
  ["lat", "location"],
  ["lon", "location"],
  ["lng", "location"],
  ["geo", "location"],
  ["gps", "location"],
  ["coords", "location"],
  ["coord", "location"],
  ["tel", "phone"],
  ["fax", "phone"],
  ["mobile", "phone"],
  ["cell", "phone"],
  ["device", "device"],
  ["ip", "device"],
  ["plate", "licence plate"],
  ["vin", "vehicle"],
  ["image", "image"],
  ["picture", "image"],
  ["selfie", "image"],
  ["face", "biometric"],
  ["facial", "biometric"],
  ["iris", "biometric"],
  ["height", "appearance"],
  ["weight", "appearance"],
  ["eye", "appearance"],
  ["eyes", "appearance"],
  ["hair", "appearance"],
  ["scar", "appearance"],
  ["scars", "appearance"],
  ["mark", "appearance"],
  ["marks", "appearance"],
  ["race", "race"],
]);

export interface RefusedColumn {
  readonly column: string;
  readonly category: string;
}

/**
 * Lower-case words of a column name, split on punctuation, spaces and camelCase boundaries, after
 * compatibility folding and without accents (a full-width ＡＤＤＲＥＳＳ or an Adrèsse is an address).
 */
function wordsOf(column: string): string[] {
  return column
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** Whether one column name is refused, and why. */
export function refusedColumnCategory(column: string): string | undefined {
  const words = wordsOf(column);
  const joined = words.join("");
  for (const [stem, category] of REFUSED_STEMS) {
    if (joined.includes(stem)) return category;
  }
  for (const word of words) {
    const category = REFUSED_WORDS.get(word);
    if (category !== undefined) return category;
  }
  return undefined;
}

/** The first refused column of a header, if any. */
export function findRefusedColumn(columns: Iterable<string>): RefusedColumn | undefined {
  for (const column of columns) {
    const category = refusedColumnCategory(column);
    if (category !== undefined) return { column, category };
  }
  return undefined;
}
