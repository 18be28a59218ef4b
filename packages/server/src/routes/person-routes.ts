import { type Feed, parseRecordReferenceOrThrow } from "@passage/core";
import {
  caseResource,
  personResource,
  readPersonStatus,
  readRecordStatus,
  runWithoutRevealingFlags,
  withoutConfidentialMatters,
} from "@passage/engine";
import {
  createPersonCaseReads,
  findCaseAttributes,
  findPersonOfRecord,
  findRecordVersions,
  listRecordsOfPerson,
  personExists,
} from "@passage/store";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ServerErrors } from "../server-errors.ts";
import { buildPersonView } from "../views/person-view.ts";
import { recordConfidentialityOf } from "../views/record-confidentiality.ts";
import { MAX_STATEMENTS, PersonCaseReader } from "./person-case-reader.ts";
import { accessOf, type RouteContext } from "./route-context.ts";

const PersonParams = z.object({ personId: z.string().min(1).max(200) });
const RecordParams = z.object({ feed: z.string().min(1).max(40), key: z.string().min(1).max(200) });
const StatusQuery = z.object({
  "as-of": z.string().max(40).optional().describe("Valid time, YYYY-MM-DD (default today)"),
  "known-at": z.string().max(60).optional().describe("Record time, ISO 8601 (default: every version known)"),
});
const Json = z.record(z.string(), z.unknown());

/** Persons, their records with provenance, and status with evidence (as-of / known-at). */
export async function registerPersonRoutes(api: FastifyInstance, context: RouteContext): Promise<void> {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const { db } = context.app.store;
  const reads = createPersonCaseReads(context.app.store.pool, MAX_STATEMENTS);
  api.addHook("onClose", () => reads.close());
  const personCases = new PersonCaseReader(reads.find);

  const attributesOf = async (personId: string) => (await findCaseAttributes(db, [personId])).get(personId);

  const statusSources = { db, lifecycle: context.app.lifecycle };
  const statusQueryOf = (query: z.infer<typeof StatusQuery>) => ({
    asOf: query["as-of"],
    knownAt: query["known-at"],
  });

  typed.get(
    "/persons/:personId",
    {
      config: { access: { action: "person.read" } },
      schema: {
        summary: "A person: identity values with their sources, documents, case records and current status",
        tags: ["persons"],
        params: PersonParams,
        response: { 200: z.object({ person: Json, hiddenFieldGroups: z.array(z.string()) }) },
      },
      // The API's hot read: its answer is written as exactly these two keys, without walking the
      // (already redacted) view through zod first; the schema above still documents it.
      serializerCompiler: () => (data) => {
        const { person, hiddenFieldGroups } = data as { person: unknown; hiddenFieldGroups: string[] };
        return JSON.stringify({ person, hiddenFieldGroups });
      },
    },
    async (request) => {
      const { personId } = request.params;
      // One statement for the whole view (the API's hot read), shared with reads arriving at the
      // same time; authorized on its case attributes before anything of it is returned.
      const found = await personCases.read(personId);
      const access = accessOf(context, request);
      const resource = personResource(personId, found?.attributes);
      const { view, hidden } = await access.readPerson(resource, (visible) => {
        if (!found) throw ServerErrors.personNotFound.create(personId);
        const view = buildPersonView(personId, found.records, found.status, { visible });
        if (visible.includes("confidential")) return view;
        const flagged = new Set(
          found.records
            .filter((record) => record.confidentiality.length > 0)
            .map((record) => `${record.feed}:${record.recordKey}`),
        );
        return withoutConfidentialMatters(view, flagged);
      });
      return { person: view, hiddenFieldGroups: hidden };
    },
  );

  typed.get(
    "/persons/:personId/status",
    {
      config: { access: { action: "status.read" } },
      schema: {
        summary: "A person's legal status with evidence, bitemporal (as-of valid time, known-at record time)",
        tags: ["persons"],
        params: PersonParams,
        querystring: StatusQuery,
        response: { 200: Json },
      },
    },
    async (request) =>
      readPersonStatus(
        accessOf(context, request),
        statusSources,
        request.params.personId,
        statusQueryOf(request.query),
        { notFound: (personId) => ServerErrors.personNotFound.create(personId) },
      ),
  );

  typed.get(
    "/persons/:personId/records",
    {
      config: { access: { action: "record.read" } },
      schema: {
        summary: "Every version of every record of a person the caller may read, with provenance",
        tags: ["persons"],
        params: PersonParams,
        response: { 200: z.object({ records: z.array(Json) }) },
      },
    },
    async (request) => {
      const { personId } = request.params;
      const access = accessOf(context, request);
      // The person's case first, as the person read decides it: another office's person, or one
      // that does not exist, is refused (403) for an office-scoped reader, never answered with no
      // records. Its records' own flags are left to the list filter (a flagged person stays visible).
      const caseOfPerson = caseResource("Record", personId, await attributesOf(personId), []);
      if (!access.can("record.read", caseOfPerson)) {
        await access.run("record.read", caseOfPerson, () => undefined, { list: true });
      }
      const records = await access.list("record.read", personId, async (filter) => {
        // As the person read: an id that names no person is a 404, not an empty list.
        if (!(await personExists(db, personId))) throw ServerErrors.personNotFound.create(personId);
        return listRecordsOfPerson(db, personId, (columns) => filter.toSql(columns));
      });
      return { records: records.map((record) => ({ ...record })) };
    },
  );

  const referenceOf = (feed: string, key: string) => {
    try {
      return parseRecordReferenceOrThrow(`${feed}:${key}`);
    } catch (error) {
      throw ServerErrors.invalidRecordReference.create(
        error instanceof Error ? error.message : String(error),
      );
    }
  };

  typed.get(
    "/records/:feed/:key",
    {
      config: { access: { action: "record.read" } },
      schema: {
        summary: "Provenance view: every version of a record (FEED:KEY), with its raw row, batch and source",
        tags: ["records"],
        params: RecordParams,
        response: {
          200: z.object({ record: z.string(), personId: z.string().nullable(), versions: z.array(Json) }),
        },
      },
    },
    async (request) => {
      const { feed, keyValue } = referenceOf(request.params.feed, request.params.key);
      const [versions, personId] = await Promise.all([
        findRecordVersions(db, feed as Feed, keyValue),
        findPersonOfRecord(db, feed as Feed, keyValue),
      ]);
      const attributes = personId ? await attributesOf(personId) : undefined;
      const flags = [
        ...new Set(versions.flatMap((version) => recordConfidentialityOf(feed, version.fields))),
      ];
      const reference = `${feed}:${keyValue}`;
      return runWithoutRevealingFlags(
        accessOf(context, request),
        "record.read",
        caseResource("Record", reference, attributes, flags),
        () => {
          if (versions.length === 0) throw ServerErrors.recordNotFound.create(reference);
          return {
            record: reference,
            personId: personId ?? null,
            versions: versions.map((version) => ({ ...version })),
          };
        },
        () => ServerErrors.recordNotFound.create(reference),
      );
    },
  );

  typed.get(
    "/records/:feed/:key/status",
    {
      config: { access: { action: "status.read" } },
      schema: {
        summary: "Status of the person a record belongs to (as `passage status --record FEED:KEY`)",
        tags: ["records"],
        params: RecordParams,
        querystring: StatusQuery,
        response: { 200: Json },
      },
    },
    async (request) => {
      const { feed, keyValue } = referenceOf(request.params.feed, request.params.key);
      return readRecordStatus(
        accessOf(context, request),
        statusSources,
        `${feed}:${keyValue}`,
        statusQueryOf(request.query),
      );
    },
  );
}
