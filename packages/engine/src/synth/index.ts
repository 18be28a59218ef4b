export * from "./synth-writer-errors.ts";
export * from "./write-synthetic-population.ts";
