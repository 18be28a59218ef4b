import { type Kysely, Migrator } from "kysely";
import { MIGRATIONS } from "./migrations/migrations.ts";

export interface MigrationReport {
  readonly applied: readonly string[];
}

/** Applies every pending migration (concurrent callers serialise on Kysely's migration lock). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error");
    throw new Error(
      `migration ${failed?.migrationName ?? "(unknown)"} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return {
    applied: (results ?? [])
      .filter((result) => result.status === "Success")
      .map((result) => result.migrationName),
  };
}
