import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { PURPOSE_HEADER } from "../routes/route-context.ts";
import { ServerErrors } from "../server-errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A header value as the text its sender wrote, read as UTF-8. Node hands header values over as
 * latin1 (one character per byte), so `revisión` sent as UTF-8 arrives as `revisiÃ³n`; its bytes
 * are decoded again here. Undefined when the bytes are not UTF-8. A value holding a character past
 * U+00FF did not come from bytes (an in-process request) and is already text.
 */
export function headerTextOf(value: string): string | undefined {
  let highest = 0;
  for (let index = 0; index < value.length; index++) highest = Math.max(highest, value.charCodeAt(index));
  // Plain ASCII is the same in both, and the common case; past U+00FF it was never bytes.
  if (highest < 0x80 || highest > 0xff) return value;
  try {
    return utf8.decode(Buffer.from(value, "latin1"));
  } catch {
    return undefined;
  }
}

/**
 * The purpose of use (`X-Passage-Purpose`) is stored in every audit entry of the request, so it
 * is decoded as UTF-8 where it enters, once, before anything reads it (the route guard's denials,
 * the audited access of each route); bytes that are not UTF-8 are refused naming the header.
 * Runs in `onRequest` after authentication, so an anonymous caller still gets 401 first.
 */
export const purposeHeaderPlugin = fp(
  async (server: FastifyInstance) => {
    server.addHook("onRequest", async (request) => {
      const stated = request.raw.headers[PURPOSE_HEADER];
      if (stated === undefined) return;
      const values = Array.isArray(stated) ? stated : [stated];
      const decoded = values.map(headerTextOf);
      if (decoded.some((value) => value === undefined)) {
        throw ServerErrors.invalidRequest.create(
          `header ${PURPOSE_HEADER} is not valid UTF-8 (send the purpose as UTF-8 text)`,
        );
      }
      request.raw.headers[PURPOSE_HEADER] = Array.isArray(stated)
        ? (decoded as string[])
        : (decoded[0] as string);
    });
  },
  { name: "passage-purpose-header", dependencies: ["passage-authentication"] },
);
