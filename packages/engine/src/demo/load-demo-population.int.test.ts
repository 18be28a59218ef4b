import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Actor, DEMO_USERS } from "@passage/access";
import { executeSql } from "@passage/store";
import { createTestDatabase, type TestDatabase } from "@passage/store/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigOrThrow } from "../app/config.ts";
import { type App, createApp } from "../app/create-app.ts";
import { DEMO_CASE_OFFICES, loadDemoPopulation } from "./load-demo-population.ts";

let database: TestDatabase;
let dataDir: string;
let app: App;
beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "passage-demo-"));
  app = await createApp(
    loadConfigOrThrow({ cwd: dataDir, env: {}, overrides: { dataDir, databaseUrl: database.url } }),
  );
  const actor = await app.access.commandLineActor(undefined);
  await loadDemoPopulation(app, {
    access: app.access.forRequest({ actor, purpose: "test", requestId: "demo-test" }),
    persons: 120,
    seed: "demo-offices",
    directory: path.join(dataDir, "population"),
  });
}, 240_000);
afterAll(async () => {
  await app?.shutdown();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const demoActor = (role: string): Actor => {
  const user = DEMO_USERS.find((candidate) => candidate.roles.includes(role as never))!;
  return {
    kind: "user",
    id: user.username,
    roles: [...user.roles],
    office: user.office,
    confidentialityNeeds: [...(user.confidentialityNeeds ?? [])],
    country: user.country ?? "",
  };
};

describe("the demo population", () => {
  it("assigns every case to one of the demo's field offices, the same office on every run, audited", async () => {
    const rows = await executeSql<{ office: string; persons: number; investigator: number }>(
      app.store.db,
      `SELECT a.office, count(*)::int AS persons,
              count(*) FILTER (WHERE 'investigator' = ANY (a.assignees))::int AS investigator
       FROM person p LEFT JOIN case_assignment a ON a.person_id = p.person_id
       GROUP BY a.office ORDER BY a.office`,
    );
    expect(rows.map((row) => row.office).sort()).toEqual([...DEMO_CASE_OFFICES].sort());
    for (const row of rows) expect(row.persons, row.office).toBeGreaterThan(0);
    const nyc = rows.find((row) => row.office === "NYC")!;
    expect(nyc.investigator).toBeGreaterThan(0);
    expect(rows.filter((row) => row.office !== "NYC").every((row) => row.investigator === 0)).toBe(true);
    const entries = await executeSql<{ content: string }>(
      app.store.db,
      "SELECT content FROM audit_entry WHERE resource_type = 'Worklist' AND content::jsonb ->> 'action' = 'case.assign' ORDER BY sequence",
    );
    // A write: on record as it starts, then with its outcome.
    expect(entries.map((entry) => JSON.parse(entry.content))).toMatchObject(
      DEMO_CASE_OFFICES.flatMap((office) =>
        ["started", "finished"].map((phase) => ({
          action: "case.assign",
          decision: "allow",
          resourceId: office,
          details: { phase },
        })),
      ),
    );
  });

  it("gives the demo removal officer cases of their own office to read, and refuses the others", async () => {
    const officer = demoActor("removal_officer");
    const access = app.access.forRequest({ actor: officer, purpose: "test", requestId: "demo-officer" });
    const [own] = await executeSql<{ person_id: string }>(
      app.store.db,
      "SELECT person_id FROM case_assignment WHERE office = $1 LIMIT 1",
      [officer.office],
    );
    const [other] = await executeSql<{ person_id: string }>(
      app.store.db,
      "SELECT person_id FROM case_assignment WHERE office <> $1 AND NOT ($2 = ANY (assignees)) LIMIT 1",
      [officer.office, officer.id],
    );
    const page = await app.worklist.list(access);
    const offices = await executeSql<{ office: string }>(
      app.store.db,
      "SELECT DISTINCT office FROM case_assignment WHERE person_id = ANY ($1::text[])",
      [page.entries.map((entry) => entry.personId)],
    );
    expect(offices.map((row) => row.office).every((office) => office === officer.office)).toBe(true);
    // Explaining a case checks status.read on the person's case, as GET /persons/{id}/status does.
    const outcomeOf = (personId: string) =>
      app.worklist.explain(access, personId).then(
        () => "read",
        (error: { code?: string }) => error.code,
      );
    expect(await outcomeOf(own!.person_id)).not.toBe("PASSAGE_ERR_ACCESS_DENIED");
    expect(await outcomeOf(other!.person_id)).toBe("PASSAGE_ERR_ACCESS_DENIED");
  });
});
