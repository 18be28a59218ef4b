export * from "./generate-person-rows.ts";
export * from "./name-pools.ts";
export * from "./synthesise-feed-population.ts";
