/**
 * Institutional places of events (SOURCES.md allows them: ports, custody facilities, courts'
 * jurisdictions). None says where a person lives or is.
 */

/** CBP air ports of entry and departure (IATA codes). */
export const AIR_PORTS = [
  "JFK",
  "MIA",
  "LAX",
  "IAH",
  "ORD",
  "ATL",
  "EWR",
  "SFO",
  "DFW",
  "IAD",
  "BOS",
  "SEA",
  "MCO",
  "FLL",
];

/** CBP land ports on the southern and northern borders (CBP port codes). */
export const LAND_PORTS = [
  "SYS",
  "OTM",
  "CLX",
  "NOG",
  "DOU",
  "ELP",
  "PDN",
  "LAR",
  "HID",
  "BRO",
  "DET",
  "BUF",
  "CHM",
  "BLA",
];

/** ICE detention facility codes. */
export const CUSTODY_FACILITIES = [
  "STWRTGA",
  "KRNPCCA",
  "ADLNTCA",
  "OTROPNM",
  "PRLDCLA",
  "ELPSPTX",
  "STCDFTX",
  "TACOMWA",
  "NWKDCNJ",
  "BTVCCVT",
  "JENADLA",
  "WINNCLA",
  "CCADCAZ",
  "OTYMSCA",
  "IMPTNLA",
];

/** Court systems of a conviction (a state, or the federal courts). */
export const JURISDICTIONS = [
  "TX",
  "CA",
  "FL",
  "NY",
  "IL",
  "AZ",
  "NJ",
  "GA",
  "NC",
  "WA",
  "MA",
  "VA",
  "CO",
  "NV",
  "FED",
];

/** Removal hubs of ICE Air Operations (DOMAIN.md §5), as airport codes. */
export const REMOVAL_HUBS = ["IWA", "SAT", "AEX", "MIA", "BRO", "ELP", "HRL"];
