import { readFileSync } from "node:fs";
import { TransportErrors } from "./transport-errors.ts";

/**
 * Which removal hub (a flight's `origin_hub`) serves each custody facility (`facility_code`):
 * reference data, versioned, kept as a JSON file beside this module rather than in code, so an
 * operator changes it by shipping a new version. Every stored plan names the version it used.
 */
export interface FacilityHubs {
  readonly version: string;
  readonly description: string;
  readonly hubs: ReadonlyMap<string, string>;
}

/** The mapping Passage ships. */
export const FACILITY_HUBS_FILE = new URL("./facility-hubs.json", import.meta.url);

const CODE = /^[A-Z0-9]{2,12}$/;

/** Reads and validates a facility-to-hub mapping file. */
export function loadFacilityHubsOrThrow(file: URL | string = FACILITY_HUBS_FILE): FacilityHubs {
  const name = String(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw TransportErrors.invalidFacilityHubs.create(name, (error as Error).message);
  }
  const fail = (what: string): never => {
    throw TransportErrors.invalidFacilityHubs.create(name, what);
  };
  if (typeof raw !== "object" || raw === null) return fail("must be a JSON object");
  const { version, description, hubs, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    fail(`unknown field(s) ${unknown.join(", ")} (allowed: version, description, hubs)`);
  if (typeof version !== "string" || version === "") fail("version must be a non-empty string");
  if (typeof description !== "string") fail("description must be a string");
  if (typeof hubs !== "object" || hubs === null || Array.isArray(hubs))
    fail("hubs must map facility codes to hubs");
  const map = new Map<string, string>();
  for (const [facility, hub] of Object.entries(hubs as Record<string, unknown>)) {
    if (!CODE.test(facility)) fail(`facility code "${facility}" is not 2-12 capital letters or digits`);
    if (typeof hub !== "string" || !CODE.test(hub)) fail(`the hub of ${facility} must be a code like "AEX"`);
    map.set(facility, hub as string);
  }
  return { version: version as string, description: description as string, hubs: map };
}
