import type { ScenarioKit } from "./scenario-kit.ts";

/** Which nationalities a scenario draws: all, or only where the law makes nationality operative. */
export type NationalityPool = "general" | "tps" | "daca";

/** One kind of life the population mix contains, and how to script it. */
export interface Scenario {
  readonly name: string;
  /** Relative share of the population. */
  readonly weight: number;
  readonly nationalities: NationalityPool;
  /** Share of men (enforcement populations are mostly men). */
  readonly maleShare: number;
  build(kit: ScenarioKit): void;
}

/** Declares a scenario (general nationality pool and an even sex ratio unless given). */
export function scenario(
  name: string,
  weight: number,
  build: (kit: ScenarioKit) => void,
  options: { nationalities?: NationalityPool; maleShare?: number } = {},
): Scenario {
  return {
    name,
    weight,
    build,
    nationalities: options.nationalities ?? "general",
    maleShare: options.maleShare ?? 0.5,
  };
}
