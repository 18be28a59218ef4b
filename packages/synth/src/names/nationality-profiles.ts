import {
  AFGHAN,
  AKAN,
  ANGLO,
  ARABIC,
  BENGALI,
  CARIBBEAN_ANGLO,
  CENTRAL_AFRICAN,
  CENTRAL_ASIAN,
  CHINESE_HONG_KONG,
  CHINESE_MAINLAND,
  CHINESE_TAIWAN,
  DUTCH,
  FILIPINO,
  FRENCH,
  GERMAN,
  GUJARATI,
  HAITIAN,
  HAUSA,
  HINDI_NORTH,
  HISPANIC,
  HORN_OF_AFRICA,
  IGBO,
  ITALIAN,
  JAPANESE,
  KOREAN,
  LUSOPHONE,
  NEPALI,
  PERSIAN,
  POLISH,
  PUNJABI_SIKH,
  RUSSIAN,
  SENEGAMBIAN,
  SOMALI,
  SOUTH_ASIAN_MUSLIM,
  SOUTH_INDIAN,
  TURKISH,
  UKRAINIAN,
  VIETNAMESE,
  YORUBA,
} from "./cultures/index.ts";
import type { NamingCulture } from "./person-name.ts";

/** World regions, for flight times from the removal hubs. */
export const FLIGHT_REGIONS = [
  "mexico",
  "central_america",
  "caribbean",
  "south_america",
  "north_america",
  "europe",
  "west_africa",
  "central_africa",
  "east_africa",
  "middle_east",
  "south_asia",
  "central_asia",
  "east_asia",
  "southeast_asia",
  "oceania",
] as const;
export type FlightRegion = (typeof FLIGHT_REGIONS)[number];

/** How a country's passport numbers look: "#" a digit, "@" a letter, anything else itself ("G########"). */
export interface PassportFormat {
  readonly pattern: string;
  /** How many distinct numbers the pattern can write. */
  readonly space: number;
}

/** What the generator knows about one nationality. */
export interface NationalityProfile {
  readonly code: string;
  /** Relative share in the general population mix. */
  readonly weight: number;
  readonly cultures: readonly (readonly [NamingCulture, number])[];
  /** Visa Waiver Program country: visitors are admitted WT for 90 days (INA 217). */
  readonly visaWaiver: boolean;
  /** Designated for Temporary Protected Status at some point (INA 244). */
  readonly tps: boolean;
  readonly passport: PassportFormat;
  /** Share of people whose documents carry 1 January because the true birth date is unknown. */
  readonly placeholderBirthDateShare: number;
  readonly consularPosts: readonly string[];
  /** Main airport of removal flights to this country (IATA). */
  readonly airport: string;
  readonly region: FlightRegion;
  /** Relative share of removal flights to this country. */
  readonly removalWeight: number;
}

type Row = [
  code: string,
  weight: number,
  cultures: (readonly [NamingCulture, number])[],
  flags: string,
  passport: string,
  placeholder: number,
  posts: string,
  airport: string,
  region: FlightRegion,
  removalWeight: number,
];

function passportFormat(pattern: string): PassportFormat {
  let space = 1;
  for (const character of pattern) space *= character === "#" ? 10 : character === "@" ? 26 : 1;
  return { pattern, space };
}

const only = (culture: NamingCulture): (readonly [NamingCulture, number])[] => [[culture, 1]];

// flags: V = Visa Waiver Program, T = TPS designation. Passport pattern: # a digit, @ a letter.
const ROWS: Row[] = [
  [
    "MEX",
    18,
    only(HISPANIC),
    "",
    "G########",
    0.005,
    "Mexico City, Guadalajara, Monterrey, Ciudad Juarez, Tijuana",
    "MEX",
    "mexico",
    40,
  ],
  ["GTM", 5, only(HISPANIC), "", "#########", 0.01, "Guatemala City", "GUA", "central_america", 20],
  ["HND", 5, only(HISPANIC), "T", "E@######", 0.01, "Tegucigalpa", "SAP", "central_america", 18],
  ["SLV", 4, only(HISPANIC), "T", "A########", 0.005, "San Salvador", "SAL", "central_america", 8],
  ["NIC", 1.5, only(HISPANIC), "T", "C#######", 0.005, "Managua", "MGA", "central_america", 3],
  ["CRI", 0.3, only(HISPANIC), "", "#########", 0.002, "San Jose", "SJO", "central_america", 0.3],
  ["PAN", 0.3, only(HISPANIC), "", "PA#######", 0.002, "Panama City", "PTY", "central_america", 0.2],
  ["COL", 3, only(HISPANIC), "", "AV######", 0.003, "Bogota", "BOG", "south_america", 5],
  ["VEN", 4, only(HISPANIC), "T", "#########", 0.003, "Caracas", "CCS", "south_america", 3],
  ["ECU", 2.5, only(HISPANIC), "", "A########", 0.005, "Quito, Guayaquil", "UIO", "south_america", 5],
  ["PER", 1.3, only(HISPANIC), "", "#########", 0.005, "Lima", "LIM", "south_america", 2],
  ["BOL", 0.4, only(HISPANIC), "", "########", 0.005, "La Paz", "VVI", "south_america", 0.3],
  ["CHL", 0.4, only(HISPANIC), "V", "F########", 0.002, "Santiago", "SCL", "south_america", 0.3],
  ["ARG", 0.8, only(HISPANIC), "", "########@", 0.002, "Buenos Aires", "EZE", "south_america", 0.3],
  ["CUB", 3, only(HISPANIC), "", "@#######", 0.003, "Havana", "HAV", "caribbean", 1],
  ["DOM", 2.5, only(HISPANIC), "", "@@#######", 0.005, "Santo Domingo", "SDQ", "caribbean", 3],
  ["ESP", 0.7, only(HISPANIC), "V", "@@@######", 0.002, "Madrid", "MAD", "europe", 0.1],
  ["HTI", 2.5, only(HAITIAN), "T", "@@#######", 0.03, "Port-au-Prince", "PAP", "caribbean", 1.5],
  ["JAM", 1, only(CARIBBEAN_ANGLO), "", "@########", 0.005, "Kingston", "KIN", "caribbean", 1],
  ["TTO", 0.4, only(CARIBBEAN_ANGLO), "", "T#######", 0.005, "Port of Spain", "POS", "caribbean", 0.2],
  ["GUY", 0.3, only(CARIBBEAN_ANGLO), "", "R#######", 0.005, "Georgetown", "GEO", "south_america", 0.3],
  [
    "BRA",
    3,
    only(LUSOPHONE),
    "",
    "@@######",
    0.003,
    "Sao Paulo, Rio de Janeiro, Brasilia",
    "CNF",
    "south_america",
    2,
  ],
  ["PRT", 0.3, only(LUSOPHONE), "V", "@######", 0.002, "Lisbon", "LIS", "europe", 0.1],
  ["PHL", 3, only(FILIPINO), "", "P#######@", 0.005, "Manila", "MNL", "southeast_asia", 0.5],
  [
    "IND",
    6,
    [
      [HINDI_NORTH, 0.35],
      [PUNJABI_SIKH, 0.2],
      [GUJARATI, 0.2],
      [SOUTH_INDIAN, 0.2],
      [SOUTH_ASIAN_MUSLIM, 0.05],
    ],
    "",
    "@#######",
    0.01,
    "Mumbai, New Delhi, Chennai, Hyderabad, Kolkata",
    "DEL",
    "south_asia",
    2,
  ],
  ["PAK", 1, only(SOUTH_ASIAN_MUSLIM), "", "@@#######", 0.02, "Islamabad, Karachi", "ISB", "south_asia", 0.3],
  ["BGD", 0.7, only(BENGALI), "", "@@#######", 0.02, "Dhaka", "DAC", "south_asia", 0.2],
  ["NPL", 0.6, only(NEPALI), "T", "PA#######", 0.02, "Kathmandu", "KTM", "south_asia", 0.2],
  [
    "CHN",
    5,
    only(CHINESE_MAINLAND),
    "",
    "E########",
    0.003,
    "Beijing, Guangzhou, Shanghai, Shenyang, Wuhan",
    "PEK",
    "east_asia",
    0.5,
  ],
  ["TWN", 0.4, only(CHINESE_TAIWAN), "V", "#########", 0.002, "Taipei", "TPE", "east_asia", 0.05],
  ["HKG", 0.3, only(CHINESE_HONG_KONG), "", "K########", 0.002, "Hong Kong", "HKG", "east_asia", 0.05],
  ["KOR", 1.5, only(KOREAN), "V", "M########", 0.002, "Seoul", "ICN", "east_asia", 0.1],
  ["JPN", 1, only(JAPANESE), "V", "@@#######", 0.002, "Tokyo", "NRT", "east_asia", 0.05],
  ["VNM", 2, only(VIETNAMESE), "", "C#######", 0.01, "Hanoi, Ho Chi Minh City", "SGN", "southeast_asia", 0.5],
  ["GBR", 2, only(ANGLO), "V", "#########", 0.002, "London", "LHR", "europe", 0.1],
  ["IRL", 0.3, only(ANGLO), "V", "@@#######", 0.002, "Dublin", "DUB", "europe", 0.05],
  ["AUS", 0.4, only(ANGLO), "V", "@#######", 0.002, "Sydney", "SYD", "oceania", 0.05],
  [
    "CAN",
    1.5,
    [
      [ANGLO, 0.8],
      [FRENCH, 0.2],
    ],
    "",
    "@@######",
    0.002,
    "Ottawa",
    "YYZ",
    "north_america",
    0.2,
  ],
  ["DEU", 1.5, only(GERMAN), "V", "C@#######", 0.002, "Frankfurt", "FRA", "europe", 0.1],
  ["FRA", 1, only(FRENCH), "V", "##@@#####", 0.002, "Paris", "CDG", "europe", 0.1],
  ["NLD", 0.5, only(DUTCH), "V", "@@#######", 0.002, "Amsterdam", "AMS", "europe", 0.05],
  ["ITA", 0.7, only(ITALIAN), "V", "@@#######", 0.002, "Rome", "FCO", "europe", 0.05],
  ["POL", 0.5, only(POLISH), "V", "@@#######", 0.002, "Warsaw", "WAW", "europe", 0.2],
  ["RUS", 1, only(RUSSIAN), "", "#########", 0.003, "Moscow", "SVO", "europe", 0.3],
  ["UKR", 1.5, only(UKRAINIAN), "T", "@@######", 0.003, "Kyiv", "KBP", "europe", 0.2],
  [
    "UZB",
    0.4,
    [
      [CENTRAL_ASIAN, 0.85],
      [RUSSIAN, 0.15],
    ],
    "",
    "FA#######",
    0.01,
    "Tashkent",
    "TAS",
    "central_asia",
    0.2,
  ],
  [
    "KAZ",
    0.2,
    [
      [CENTRAL_ASIAN, 0.6],
      [RUSSIAN, 0.4],
    ],
    "",
    "N########",
    0.005,
    "Astana",
    "NQZ",
    "central_asia",
    0.1,
  ],
  ["TUR", 0.8, only(TURKISH), "", "U########", 0.005, "Ankara, Istanbul", "IST", "europe", 0.3],
  ["IRN", 1, only(PERSIAN), "", "@########", 0.01, "Abu Dhabi", "IKA", "middle_east", 0.05],
  ["AFG", 1, only(AFGHAN), "T", "P#######", 0.35, "Kabul, Islamabad", "KBL", "middle_east", 0.05],
  ["EGY", 0.7, only(ARABIC), "", "A########", 0.02, "Cairo", "CAI", "middle_east", 0.2],
  ["SYR", 0.4, only(ARABIC), "T", "N########", 0.05, "Amman", "DAM", "middle_east", 0.02],
  ["IRQ", 0.4, only(ARABIC), "", "@########", 0.05, "Baghdad, Erbil", "BGW", "middle_east", 0.05],
  ["YEM", 0.3, only(ARABIC), "T", "########", 0.1, "Djibouti", "SAH", "middle_east", 0.02],
  ["SAU", 0.4, only(ARABIC), "", "@########", 0.005, "Riyadh", "RUH", "middle_east", 0.05],
  ["JOR", 0.3, only(ARABIC), "", "@#######", 0.01, "Amman", "AMM", "middle_east", 0.05],
  ["LBN", 0.3, only(ARABIC), "", "LR#######", 0.01, "Beirut", "BEY", "middle_east", 0.02],
  ["MAR", 0.3, only(ARABIC), "", "@@#######", 0.01, "Casablanca", "CMN", "west_africa", 0.05],
  ["SDN", 0.2, only(ARABIC), "T", "P#######", 0.2, "Khartoum, Cairo", "KRT", "east_africa", 0.02],
  [
    "NGA",
    1.5,
    [
      [YORUBA, 0.4],
      [IGBO, 0.35],
      [HAUSA, 0.25],
    ],
    "",
    "A########",
    0.02,
    "Lagos, Abuja",
    "LOS",
    "west_africa",
    0.6,
  ],
  ["GHA", 0.7, only(AKAN), "", "G#######", 0.02, "Accra", "ACC", "west_africa", 0.4],
  ["SEN", 0.6, only(SENEGAMBIAN), "", "A########", 0.03, "Dakar", "DSS", "west_africa", 0.5],
  ["GIN", 0.4, only(SENEGAMBIAN), "", "R#######", 0.1, "Conakry", "CKY", "west_africa", 0.3],
  ["MLI", 0.3, only(SENEGAMBIAN), "", "AA#######", 0.1, "Bamako", "BKO", "west_africa", 0.3],
  [
    "MRT",
    0.3,
    [
      [SENEGAMBIAN, 0.5],
      [ARABIC, 0.5],
    ],
    "",
    "B#######",
    0.15,
    "Nouakchott",
    "NKC",
    "west_africa",
    0.4,
  ],
  ["CMR", 0.4, only(CENTRAL_AFRICAN), "T", "########", 0.03, "Yaounde", "NSI", "central_africa", 0.2],
  ["COD", 0.3, only(CENTRAL_AFRICAN), "", "OP#######", 0.08, "Kinshasa", "FIH", "central_africa", 0.1],
  ["SOM", 0.4, only(SOMALI), "T", "P#######", 0.3, "Nairobi", "MGQ", "east_africa", 0.1],
  ["ETH", 0.5, only(HORN_OF_AFRICA), "T", "EP#######", 0.12, "Addis Ababa", "ADD", "east_africa", 0.1],
  ["ERI", 0.3, only(HORN_OF_AFRICA), "", "@#######", 0.15, "Asmara", "ASM", "east_africa", 0.05],
];

/** Every nationality the generator draws, with its naming cultures and document formats. */
export const NATIONALITY_PROFILES: readonly NationalityProfile[] = ROWS.map(
  ([code, weight, cultures, flags, passport, placeholder, posts, airport, region, removalWeight]) => ({
    code,
    weight,
    cultures,
    visaWaiver: flags.includes("V"),
    tps: flags.includes("T"),
    passport: passportFormat(passport),
    placeholderBirthDateShare: placeholder,
    consularPosts: posts.split(",").map((post) => post.trim()),
    airport,
    region,
    removalWeight,
  }),
);

/** Nationality profiles by alpha-3 code. */
export const NATIONALITY_BY_CODE: ReadonlyMap<string, NationalityProfile> = new Map(
  NATIONALITY_PROFILES.map((profile) => [profile.code, profile]),
);

/** DACA recipients by country of birth, roughly as USCIS reports them (about four in five from Mexico). */
export const DACA_NATIONALITIES: readonly (readonly [string, number])[] = [
  ["MEX", 78],
  ["SLV", 3.5],
  ["GTM", 2.6],
  ["HND", 2.3],
  ["PER", 1.1],
  ["KOR", 1],
  ["COL", 0.8],
  ["BRA", 0.7],
  ["ECU", 0.7],
  ["ARG", 0.6],
  ["PHL", 0.5],
  ["DOM", 0.5],
  ["IND", 0.4],
  ["JAM", 0.4],
  ["VEN", 0.4],
];
