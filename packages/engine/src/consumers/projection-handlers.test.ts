import { describe, expect, it } from "vitest";
import { loadConfigOrThrow } from "../app/config.ts";
import { ALL_EVENT_TYPES, type EventHandler } from "./event-handler.ts";
import {
  createProjectionHandlers,
  type HandlerRegistration,
  resolveHandlerNamesOrThrow,
} from "./projection-handlers.ts";

const context = { config: loadConfigOrThrow({ cwd: "/tmp/passage", env: {} }), db: undefined as never };
const registration = (name: string, builds = name): HandlerRegistration => ({
  name,
  description: `test ${name}`,
  create: (): EventHandler => ({ name: builds, eventTypes: ALL_EVENT_TYPES, apply: async () => undefined }),
});
const registered = [registration("linkage"), registration("lifecycle")];

describe("createProjectionHandlers", () => {
  it("builds every registered handler, or the named ones", () => {
    expect(createProjectionHandlers(context, undefined, registered).map((handler) => handler.name)).toEqual([
      "linkage",
      "lifecycle",
    ]);
    expect(
      createProjectionHandlers(context, ["lifecycle"], registered).map((handler) => handler.name),
    ).toEqual(["lifecycle"]);
    expect(createProjectionHandlers(context, undefined, [])).toEqual([]);
  });

  it("names an unknown handler and what is registered", () => {
    expect(() => createProjectionHandlers(context, ["lifecyle"], registered)).toThrow(
      'no event handler named "lifecyle" (registered: linkage, lifecycle)',
    );
    expect(() => createProjectionHandlers(context, [], [])).toThrow("(registered: none)");
  });

  it("refuses a registration whose handler has another name (it would use another offset)", () => {
    expect(() => createProjectionHandlers(context, undefined, [registration("linkage", "link")])).toThrow(
      expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_HANDLER_INVALID" }),
    );
  });
});

describe("resolveHandlerNamesOrThrow", () => {
  it("checks names before anything starts", () => {
    expect(resolveHandlerNamesOrThrow(undefined, registered)).toEqual(["linkage", "lifecycle"]);
    expect(resolveHandlerNamesOrThrow(["linkage"], registered)).toEqual(["linkage"]);
    expect(() => resolveHandlerNamesOrThrow(["x"], registered)).toThrow(
      expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_HANDLER_UNKNOWN" }),
    );
    expect(() => resolveHandlerNamesOrThrow(undefined, [])).toThrow(
      expect.objectContaining({ code: "PASSAGE_ERR_CONSUMER_NO_HANDLERS" }),
    );
  });
});
