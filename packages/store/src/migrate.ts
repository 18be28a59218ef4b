import { type Kysely, Migrator } from "kysely";
import { MIGRATIONS } from "./migrations/migrations.ts";

export interface MigrationReport {
  readonly applied: readonly string[];
}

/** The names of the migrations not yet applied (all of them on an empty database). */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema.
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
  return (await migrator.getMigrations())
    .filter((migration) => migration.executedAt === undefined)
    .map((migration) => migration.name);
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
