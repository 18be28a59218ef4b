/**
 * The column denylist of SOURCES.md ("Refused columns"): Passage holds no data about where a
 * person lives or is, and no contact, device, vehicle, social-media, image, biometric, appearance
 * or protected-characteristic data (the product's line, README). A file whose header names such a
 * column is refused whole; abbreviations, misspellings and run-together spellings of those names too
 * (`EYECOLOR`, `ZIP5`, `HOMECITY`, `gpslat`).
 *
 * A name is read as tokens (split on case changes, digits and separators) and as the concatenation
 * of those tokens. Three rules, each tuned to what the words are:
 * - distinctive stems refused wherever they occur (`haircolo`, `mugshot`, `msisdn`): they occur in
 *   no innocent name. A stem may span tokens only from a token's start (`hair_colour`), so `time_id`
 *   does not read as `imei`;
 * - short or ambiguous words refused as a whole token, or run together with a known prefix or
 *   suffix (`race`, `racecode`, `heightcm`, `plateno`), so `trace`, `recipient`, `belonging` and
 *   `latin` are innocent;
 * - a place word (`city`, `county`, `location`...) refused unless it names the place of an event,
 *   an institution or a birth (`court_county`, `hearing_location`, `city_of_birth`): those are not
 *   where a person lives or is (SOURCES.md allows `port_of_entry`, `issuing_post`, `facility_code`).
 */

/** A set of the words of a space-separated list. */
const wordSet = (words: string): ReadonlySet<string> => new Set(words.split(" "));

/** A stem refused wherever it appears (from a token's start when it spans tokens). */
interface RefusedStem {
  readonly stem: string;
  readonly category: string;
  /** A letter that, just before the stem inside a token, makes an innocent word (`president`). */
  readonly notAfter?: string;
}

const stem = (text: string, category: string, notAfter?: string): RefusedStem =>
  notAfter === undefined ? { stem: text, category } : { stem: text, category, notAfter };

const REFUSED_STEMS: readonly RefusedStem[] = [
  // before "addr": an IP, MAC or email address is named by what it addresses
  stem("ipaddr", "device"),
  stem("ipv4", "device"),
  stem("ipv6", "device"),
  stem("macaddr", "device"),
  stem("email", "email"),
  // address, and its abbreviations and misspellings: mailing_addr, addr1, adress, Adresse, ipaddr
  stem("addr", "address"),
  stem("adress", "address"),
  stem("housenumber", "address"),
  stem("houseno", "address"),
  stem("pobox", "address"),
  stem("postbox", "address"),
  stem("street", "address"),
  stem("apartment", "address"),
  stem("hometown", "residence"),
  stem("homecity", "residence"),
  stem("neighbourhood", "residence"),
  stem("neighborhood", "residence"),
  stem("residen", "residence", "p"),
  stem("domicile", "residence"),
  stem("whereabouts", "location"),
  stem("postcode", "postcode"),
  stem("postal", "postcode"),
  stem("zip", "postcode"),
  stem("latitude", "location"),
  stem("longitude", "location"),
  stem("geoloc", "location"),
  stem("coordinate", "location"),
  stem("koordinat", "location"),
  stem("latlng", "location"),
  stem("latlon", "location"),
  stem("lnglat", "location"),
  stem("lonlat", "location"),
  stem("geohash", "location"),
  stem("geocod", "location"),
  stem("geopoint", "location"),
  stem("gps", "location"),
  stem("phone", "phone"),
  stem("telefon", "phone"),
  stem("whatsapp", "phone"),
  stem("msisdn", "phone"),
  stem("landline", "phone"),
  stem("cellular", "phone"),
  stem("imei", "device"),
  stem("iccid", "device"),
  stem("socialmedia", "social media"),
  stem("facebook", "social media"),
  stem("instagram", "social media"),
  stem("twitter", "social media"),
  stem("tiktok", "social media"),
  stem("licenseplate", "licence plate"),
  stem("licenceplate", "licence plate"),
  stem("numberplate", "licence plate"),
  stem("platenumber", "licence plate"),
  stem("vehicle", "vehicle"),
  stem("photo", "image"),
  stem("mugshot", "image"),
  stem("biometric", "biometric"),
  stem("fingerprintimage", "biometric"),
  stem("palmprint", "biometric"),
  stem("voiceprint", "biometric"),
  stem("retina", "biometric"),
  stem("eyecolo", "appearance"),
  stem("haircolo", "appearance"),
  stem("skincolo", "appearance"),
  stem("skintone", "appearance"),
  stem("complexion", "appearance"),
  stem("tattoo", "appearance"),
  stem("ethnic", "ethnicity"),
  stem("religio", "religion"),
];

/**
 * Short or ambiguous words, refused as a whole token, or inside one token only run together with a
 * known prefix or suffix (`homecity`, `racecode`, `weightkg`).
 */
const REFUSED_WORDS: ReadonlyMap<string, string> = new Map([
  ["apt", "address"],
  ["lat", "location"],
  ["lon", "location"],
  ["lng", "location"],
  ["geo", "location"],
  ["coord", "location"],
  ["coords", "location"],
  ["tel", "phone"],
  ["fax", "phone"],
  ["mobile", "phone"],
  ["cell", "phone"],
  ["device", "device"],
  ["imsi", "device"],
  ["ip", "device"],
  ["plate", "licence plate"],
  ["vin", "vehicle"],
  ["image", "image"],
  ["img", "image"],
  ["picture", "image"],
  ["selfie", "image"],
  ["face", "biometric"],
  ["facial", "biometric"],
  ["iris", "biometric"],
  ["dna", "biometric"],
  ["height", "appearance"],
  ["hgt", "appearance"],
  ["weight", "appearance"],
  ["wgt", "appearance"],
  ["eye", "appearance"],
  ["hair", "appearance"],
  ["skin", "appearance"],
  ["scar", "appearance"],
  ["mark", "appearance"],
  ["smt", "appearance"],
  ["race", "race"],
]);

/** Places: refused unless the name says whose place it is (an event's, an institution's, a birth's). */
const PLACE_WORDS: ReadonlyMap<string, string> = new Map([
  ["city", "residence"],
  ["county", "residence"],
  ["town", "residence"],
  ["township", "residence"],
  ["village", "residence"],
  ["borough", "residence"],
  ["municipality", "residence"],
  ["locality", "residence"],
  ["location", "location"],
  ["loc", "location"],
  ["place", "location"],
]);

/** What a person's own place is prefixed with, run together: homecity, currentlocation, workplace. */
const PREFIXES: ReadonlySet<string> = wordSet(
  "home current curr cur present last lastknown known usual permanent perm living mailing mail work person personal subject primary secondary main alt alternate other prev previous prior contact my res body geo x y",
);

/** What a refused word is suffixed with, run together: racecode, heightcm, plateno, eyes, cellnum. */
const SUFFIXES: ReadonlySet<string> = wordSet(
  "s code cd id no nr num nbr number name nm desc type cat value val txt text colour color col clr tone cm mm ft inch inches kg kgs lb lbs deg url img info data",
);

/**
 * Words that say a place is an event's, an institution's or a birth's, not where a person lives or
 * is. The long ones count anywhere in the name (`courtcounty`); the short ones only as a whole
 * token, so `report_city` and `passport_location` are not an event's place.
 */
const QUALIFIERS_ANYWHERE: readonly string[] =
  "birth court hearing conviction offense offence jurisdiction facility issuing departure arrival admission airport seaport".split(
    " ",
  );
const QUALIFIER_TOKENS: ReadonlySet<string> = wordSet("port post entry issue issued born");

/** Words that say a place is the person's own, whatever else the name says (`home_city_of_birth`). */
const OWN_PLACE_TOKENS: ReadonlySet<string> = wordSet("home living mailing lastknown");

/** A custody housing unit is a `cell_block`, not a cell phone. */
const CUSTODY_CELL_TOKENS: ReadonlySet<string> = wordSet(
  "block blk unit housing pod tier wing dorm bed bunk assignment facility",
);

/** What may stand beside `long` when it is a longitude: `Long`, `lat_long`, `long_deg`, `x_long`. */
const LONGITUDE_CONTEXT: ReadonlySet<string> = new Set([
  ...wordSet(
    "lat latitude geo deg degrees dd dec decimal coord coords pos position loc location x y e w east west value val",
  ),
  ...PREFIXES,
]);

export interface RefusedColumn {
  readonly column: string;
  readonly category: string;
}

/**
 * Lower-case tokens of a column name, split on separators, case changes (`eyeColour`,
 * `IPAddress`) and between letters and digits (`ZIP5`), after compatibility folding and without
 * accents (a full-width ＡＤＤＲＥＳＳ or an Adrèsse is an address).
 */
export function columnTokens(column: string): string[] {
  return column
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

/** The first refused stem in the tokens, run together: inside one token, or from a token's start. */
function refusedStem(tokens: readonly string[]): string | undefined {
  const joined = tokens.join("");
  const tokenEnds: number[] = [];
  let end = 0;
  for (const token of tokens) {
    end += token.length;
    tokenEnds.push(end);
  }
  const starts = new Set([0, ...tokenEnds]);
  for (const { stem: text, category, notAfter } of REFUSED_STEMS) {
    for (let at = joined.indexOf(text); at !== -1; at = joined.indexOf(text, at + 1)) {
      if (notAfter !== undefined && !starts.has(at) && joined[at - 1] === notAfter) continue;
      const tokenEnd = tokenEnds.find((tokenEndAt) => tokenEndAt > at)!;
      if (starts.has(at) || at + text.length <= tokenEnd) return category;
    }
  }
  return undefined;
}

/** Whether a token is `word`, or `word` run together with a known prefix, suffix or both. */
function tokenIsWord(token: string, word: string): boolean {
  if (token === word) return true;
  for (let start = token.indexOf(word); start !== -1; start = token.indexOf(word, start + 1)) {
    const prefix = token.slice(0, start);
    const suffix = token.slice(start + word.length);
    if ((prefix === "" || PREFIXES.has(prefix)) && (suffix === "" || SUFFIXES.has(suffix))) {
      return true;
    }
  }
  return false;
}

/** The category of the first refused short word among the tokens, allowing the innocent readings. */
function refusedWord(tokens: readonly string[]): string | undefined {
  for (const token of tokens) {
    if (token === "long") {
      if (tokens.every((other) => other === "long" || LONGITUDE_CONTEXT.has(other) || /^\d+$/.test(other)))
        return "location";
      continue;
    }
    for (const [word, category] of REFUSED_WORDS) {
      if (!tokenIsWord(token, word)) continue;
      if (word === "cell" && tokens.some((other) => CUSTODY_CELL_TOKENS.has(other))) continue;
      return category;
    }
  }
  return undefined;
}

/** The category of a place word that is not an event's, an institution's or a birth's place. */
function refusedPlace(tokens: readonly string[]): string | undefined {
  const joined = tokens.join("");
  const qualified =
    QUALIFIERS_ANYWHERE.some((qualifier) => joined.includes(qualifier)) ||
    tokens.some((token) => QUALIFIER_TOKENS.has(token));
  const ownPlace = tokens.some((token) => OWN_PLACE_TOKENS.has(token));
  if (qualified && !ownPlace) return undefined;
  for (const token of tokens) {
    for (const [word, category] of PLACE_WORDS) if (tokenIsWord(token, word)) return category;
  }
  return undefined;
}

/** Whether one column name is refused, and why (the category names the denylist's entry). */
export function refusedColumnCategory(column: string): string | undefined {
  const tokens = columnTokens(column);
  return refusedStem(tokens) ?? refusedWord(tokens) ?? refusedPlace(tokens);
}

/** The first refused column of a header, if any. */
export function findRefusedColumn(columns: Iterable<string>): RefusedColumn | undefined {
  for (const column of columns) {
    const category = refusedColumnCategory(column);
    if (category !== undefined) return { column, category };
  }
  return undefined;
}
