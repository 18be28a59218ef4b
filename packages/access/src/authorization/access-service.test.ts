import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { describe, expect, it } from "vitest";
import {
  type AccessDecision,
  type AccessResource,
  AccessService,
  FIELD_ACTIONS,
  RESOURCE_ATTRIBUTES,
  redactPersonView,
} from "./access-service.ts";
import { type Actor, LOCAL_OPERATOR } from "./actor.ts";
import { loadPolicySetOrThrow, policySetFromTextOrThrow } from "./policy-set.ts";
import { ACTIONS, type ConfidentialityFlag, RESOURCE_TYPES, ROLES, type Role } from "./vocabulary.ts";

const service = new AccessService();
const purpose = { purpose: "case_review" };

function user(
  id: string,
  roles: Role[],
  office = "NYC",
  needs: ConfidentialityFlag[] = [],
  country = "",
): Actor {
  return { kind: "user", id, roles, office, confidentialityNeeds: needs, country };
}
function person(
  office: string,
  confidentiality: ConfidentialityFlag[] = [],
  assignees: string[] = [],
  nationality = "MEX",
) {
  return {
    type: "Person",
    id: "p1",
    attributes: { office, assignees, confidentiality, nationality },
  } as const;
}
function record(office: string, confidentiality: ConfidentialityFlag[] = [], assignees: string[] = []) {
  return {
    type: "Record",
    id: "benefit:IOE0123456789",
    attributes: { office, assignees, confidentiality },
  } as const;
}
const decide = (actor: Actor, action: keyof typeof ACTIONS, resource: AccessResource, context = purpose) =>
  service.authorize(actor, action, resource, context);

describe("Cedar policies, role by role", () => {
  it("removal officer: own office or assigned cases, never confidential content", () => {
    const officer = user("ro1", ["removal_officer"]);
    expect(decide(officer, "person.read", person("NYC"))).toEqual({
      decision: "allow",
      reasons: ["removal-officer.case-reads"],
    });
    expect(decide(officer, "person.read", person("LAX"))).toEqual({
      decision: "deny",
      reasons: ["default-deny"],
    });
    expect(decide(officer, "person.read", person("LAX", [], ["ro1"])).decision).toBe("allow");
    // No office is no office: an officer without one never matches cases without one.
    expect(decide(user("ro2", ["removal_officer"], ""), "person.read", person("")).decision).toBe("deny");
    expect(service.listFilter(user("ro2", ["removal_officer"], ""), "person.read", purpose).describe()).toBe(
      'assignees contains "ro2"',
    );
    expect(decide(officer, "person.read", person("NYC"), { purpose: "  " })).toEqual({
      decision: "deny",
      reasons: ["purpose-of-use-required"],
    });
    // The person with an asylum claim stays visible (the gate must show); the claim does not.
    expect(decide(officer, "person.read", person("NYC", ["asylum"])).decision).toBe("allow");
    expect(decide(officer, "person.field.confidential", person("NYC", ["asylum"]))).toEqual({
      decision: "deny",
      reasons: ["asylum-need-to-know"],
    });
    expect(decide(officer, "record.read", record("NYC", ["vawa1367"])).reasons).toEqual([
      "vawa-1367-need-to-know",
    ]);
    expect(
      decide(officer, "worklist.read", { type: "Worklist", id: "NYC", attributes: { office: "NYC" } })
        .decision,
    ).toBe("allow");
    expect(
      decide(officer, "worklist.override", { type: "Worklist", id: "NYC", attributes: { office: "NYC" } })
        .decision,
    ).toBe("deny");
  });

  it("investigator: assigned cases only", () => {
    const agent = user("hsi1", ["investigator"]);
    expect(decide(agent, "person.read", person("NYC")).decision).toBe("deny");
    expect(decide(agent, "person.read", person("SEA", [], ["hsi1"])).decision).toBe("allow");
    expect(decide(agent, "person.field.criminal", person("SEA", [], ["hsi1"])).decision).toBe("allow");
  });

  it("supervisor: the whole office, overrides and manifests", () => {
    const supervisor = user("sup1", ["supervisor"], "NYC", ["asylum"]);
    expect(decide(supervisor, "person.read", person("NYC")).decision).toBe("allow");
    expect(decide(supervisor, "person.read", person("LAX", [], ["sup1"])).decision).toBe("deny");
    expect(
      decide(supervisor, "worklist.override", { type: "Worklist", id: "w", attributes: { office: "NYC" } })
        .decision,
    ).toBe("allow");
    expect(decide(supervisor, "person.field.confidential", person("NYC", ["asylum"])).decision).toBe("allow");
    expect(
      decide(supervisor, "person.field.confidential", person("NYC", ["asylum", "vawa1367"])).decision,
    ).toBe("deny");
  });

  it("legal counsel with a need reads confidential records; without it, not", () => {
    const counsel = user("opla1", ["legal_counsel"], "DC", ["asylum", "vawa1367"]);
    expect(decide(counsel, "record.read", record("LAX", ["asylum"])).decision).toBe("allow");
    expect(decide(counsel, "record.read", record("LAX", ["vawa1367"])).decision).toBe("allow");
    const counselWithoutNeed = user("opla2", ["legal_counsel"], "DC", ["asylum"]);
    expect(decide(counselWithoutNeed, "record.read", record("LAX", ["vawa1367"])).decision).toBe("deny");
  });

  it("transport planner sees what planning needs, not convictions or benefits", () => {
    const planner = user("tp1", ["transport_planner"], "HQ");
    expect(service.visibleFieldGroups(planner, person("LAX", ["asylum"]), purpose)).toEqual([
      "identity",
      "documents",
      "nationality",
      "case",
    ]);
    expect(
      decide(planner, "plan.write", { type: "TransportPlan", id: "m1", attributes: { office: "HQ" } })
        .decision,
    ).toBe("allow");
    expect(decide(planner, "record.read", record("LAX")).decision).toBe("deny");
  });

  it("never exports confidential records or fields, whoever asks", () => {
    const steward = user("ds1", ["data_steward"], "HQ", ["asylum", "vawa1367"]);
    const exporting = { purpose: "data_quality", channel: "export" } as const;
    expect(decide(steward, "record.export", record("LAX"), exporting).decision).toBe("allow");
    expect(decide(steward, "record.export", record("LAX", ["asylum"]), exporting).reasons).toEqual([
      "confidential-never-exported",
    ]);
    expect(decide(LOCAL_OPERATOR, "person.export", person("LAX", ["vawa1367"]), exporting).decision).toBe(
      "deny",
    );
    expect(service.visibleFieldGroups(LOCAL_OPERATOR, person("LAX", ["asylum"]), exporting)).not.toContain(
      "confidential",
    );
    expect(
      service.visibleFieldGroups(LOCAL_OPERATOR, person("LAX", ["asylum"]), {
        purpose: "cli",
        channel: "travel_document",
      }),
    ).not.toContain("confidential");
    expect(
      service.visibleFieldGroups(LOCAL_OPERATOR, person("LAX", ["asylum"]), { purpose: "cli" }),
    ).toContain("confidential");
  });

  it("auditor, privacy officer and admin: oversight and administration, no person data for auditor and admin", () => {
    const auditor = user("au1", ["auditor"], "HQ");
    const admin = user("ad1", ["admin"], "HQ");
    const privacy = user("po1", ["privacy_officer"], "HQ", ["asylum", "vawa1367"]);
    const log = { type: "AuditLog", id: "passage" } as const;
    expect(decide(auditor, "audit.read", log).decision).toBe("allow");
    expect(decide(auditor, "person.read", person("HQ")).decision).toBe("deny");
    expect(decide(admin, "user.write", { type: "Account", id: "ro1" }).decision).toBe("allow");
    expect(decide(admin, "person.read", person("HQ")).decision).toBe("deny");
    expect(decide(privacy, "audit.verify", log).decision).toBe("allow");
    expect(decide(privacy, "person.field.confidential", person("LAX", ["vawa1367"])).decision).toBe("allow");
    expect(decide(privacy, "user.write", { type: "Account", id: "ro1" }).decision).toBe("deny");
  });

  it("consular officer: travel documents of their own nationals, as travel-document data only", () => {
    const consul = user("mx1", ["consular_officer"], "", [], "MEX");
    const document = (country: string) =>
      ({ type: "TravelDocument", id: "td1", attributes: { office: "LAX", assignees: [], country } }) as const;
    const asTravelDocument = { purpose: "travel_document", channel: "travel_document" } as const;
    expect(decide(consul, "travel_document.review", document("MEX")).decision).toBe("allow");
    expect(decide(consul, "travel_document.review", document("GTM")).decision).toBe("deny");
    expect(service.visibleFieldGroups(consul, person("LAX", ["asylum"]), asTravelDocument)).toEqual([
      "identity",
      "documents",
      "nationality",
    ]);
    expect(service.visibleFieldGroups(consul, person("LAX", [], [], "GTM"), asTravelDocument)).toEqual([]);
    expect(service.visibleFieldGroups(consul, person("LAX"), { purpose: "x" })).toEqual([]);
  });

  it("the local operator reads everything, with a purpose", () => {
    expect(decide(LOCAL_OPERATOR, "record.read", record("LAX", ["asylum", "vawa1367"])).decision).toBe(
      "allow",
    );
    expect(decide(LOCAL_OPERATOR, "person.read", person("LAX"), { purpose: "" }).decision).toBe("deny");
    expect(decide(LOCAL_OPERATOR, "feed.ingest", { type: "Feed", id: "court" }).decision).toBe("allow");
  });

  it("lets only the admin and the local operator rebuild the projections", () => {
    const projections = { type: "Projection", id: "all" } as const;
    expect(decide(LOCAL_OPERATOR, "projection.rebuild", projections).decision).toBe("allow");
    expect(decide(user("ad1", ["admin"]), "projection.rebuild", projections).decision).toBe("allow");
    for (const role of ROLES.filter((role) => role !== "admin" && role !== "local_operator")) {
      expect(decide(user("u1", [role]), "projection.rebuild", projections).decision, role).toBe("deny");
    }
  });

  it("lets only the admin and the local operator assign cases to an office", () => {
    const office = { type: "Worklist", id: "NYC", attributes: { office: "NYC" } } as const;
    expect(decide(LOCAL_OPERATOR, "case.assign", office).decision).toBe("allow");
    expect(decide(user("ad1", ["admin"]), "case.assign", office).decision).toBe("allow");
    for (const role of ROLES.filter((role) => role !== "admin" && role !== "local_operator")) {
      expect(decide(user("u1", [role], "NYC"), "case.assign", office).decision, role).toBe("deny");
    }
  });

  it("refuses malformed requests instead of guessing", () => {
    const officer = user("ro1", ["removal_officer"]);
    expect(() => decide(officer, "person.read", record("NYC"))).toThrow(/applies to Person/);
    expect(() =>
      decide(officer, "person.read", { type: "Person", id: "p", attributes: { office: "NYC" } } as never),
    ).toThrow(/assignees/);
    expect(() =>
      service.authorize(officer, "person.read", person("NYC"), { purpose: "x", channel: "fax" as never }),
    ).toThrow(/channel/);
  });
});

describe("several decisions on one resource", () => {
  it("gives each action the decision authorize gives it alone, in order, whatever was asked before", () => {
    const actions = ["person.read", ...FIELD_ACTIONS] as const;
    const actors = [
      user("ro1", ["removal_officer"]),
      user("lc1", ["legal_counsel"], "NYC", ["asylum"]),
      user("tp1", ["transport_planner"], "LAX"),
      LOCAL_OPERATOR,
    ];
    const resources = [person("NYC"), person("NYC", ["asylum"]), person("LAX", [], ["ro1"])];
    for (const context of [purpose, { purpose: "" }, { purpose: "x", channel: "export" as const }]) {
      for (const actor of actors) {
        for (const resource of resources) {
          // A fresh service for the single decisions: none of them comes from the batch's cache.
          const alone = new AccessService(service.policySet);
          const each = service.authorizeEach(actor, actions, resource, context);
          // Cedar gives the deciding policies as a set: their order is not part of a decision.
          const sorted = (decision: AccessDecision) => ({
            ...decision,
            reasons: [...decision.reasons].sort(),
          });
          expect(each.map(sorted)).toEqual(
            actions.map((action) => sorted(alone.authorize(actor, action, resource, context))),
          );
        }
      }
    }
  });

  it("refuses the whole request when one action does not apply to the resource", () => {
    expect(() =>
      service.authorizeEach(
        user("ro1", ["removal_officer"]),
        ["person.read", "record.read"],
        person("NYC"),
        purpose,
      ),
    ).toThrow(/record.read applies to Record, not Person/);
  });
});

describe("list filters", () => {
  it("are the policies' residuals, readable", () => {
    const officer = user("ro1", ["removal_officer"]);
    expect(service.listFilter(officer, "person.read", purpose).describe()).toBe(
      '(office = "NYC" or assignees contains "ro1")',
    );
    expect(service.listFilter(officer, "record.read", purpose).describe()).toBe(
      '((office = "NYC" or assignees contains "ro1") and not (confidentiality contains "asylum" or confidentiality contains "vawa1367"))',
    );
    expect(service.listFilter(officer, "person.read", { purpose: "" }).deniesAll).toBe(true);
    expect(service.listFilter(LOCAL_OPERATOR, "person.read", { purpose: "cli" }).allowsAll).toBe(true);
    expect(service.listFilter(user("au1", ["auditor"]), "person.read", purpose).deniesAll).toBe(true);
  });
});

describe("the policy set", () => {
  it("matches the TypeScript vocabulary", () => {
    const { schema } = loadPolicySetOrThrow();
    const json = cedar.schemaToJson(schema);
    if (json.type !== "success") throw new Error("schema does not parse");
    const namespace = json.json.Passage!;
    expect(Object.keys(namespace.actions).sort()).toEqual(Object.keys(ACTIONS).sort());
    for (const [action, resourceType] of Object.entries(ACTIONS)) {
      expect(namespace.actions[action]!.appliesTo!.resourceTypes, action).toEqual([resourceType]);
    }
    expect(Object.keys(namespace.entityTypes).sort()).toEqual([...RESOURCE_TYPES, "Role", "User"].sort());
    for (const type of RESOURCE_TYPES) {
      const shape = (namespace.entityTypes[type] as { shape?: { attributes?: object } }).shape;
      expect(Object.keys(shape?.attributes ?? {}).sort(), type).toEqual(
        [...RESOURCE_ATTRIBUTES[type]].sort(),
      );
    }
  });

  it("refuses policies without an id, naming a resource, or failing validation", () => {
    const { schema } = loadPolicySetOrThrow();
    expect(() => policySetFromTextOrThrow(schema, "permit (principal, action, resource);")).toThrow(/no @id/);
    expect(() =>
      policySetFromTextOrThrow(
        schema,
        '@id("x") permit (principal, action, resource == Passage::Person::"p1");',
      ),
    ).toThrow(/names resources by id/);
    expect(() =>
      policySetFromTextOrThrow(
        schema,
        '@id("x") permit (principal, action, resource) when { resource.shoeSize == 1 };',
      ),
    ).toThrow(/invalid/);
  });
});

describe("redactPersonView", () => {
  it("keeps visible groups and drops hidden and unknown fields", () => {
    const { view, hidden } = redactPersonView(
      {
        person_id: "p1",
        family_name: "Doe",
        convictions: ["THEFT"],
        confidential_benefits: ["I-589"],
        home_address: "x",
      },
      ["identity", "case"],
    );
    expect(view).toEqual({ person_id: "p1", family_name: "Doe" });
    expect(hidden).toEqual(["confidential", "criminal"]);
  });
});
