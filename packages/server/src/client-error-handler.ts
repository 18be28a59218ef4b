import { maxHeaderSize, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { PassageError } from "@passage/core";
import type { ErrorBody } from "./plugins/error-handler.ts";
import { ServerErrors } from "./server-errors.ts";

/** An error Node's HTTP parser raises before any request exists (its `clientError` event). */
interface ClientError extends Error {
  readonly code?: string;
  readonly reason?: string;
}

/**
 * Answers what Node's HTTP parser refuses before Fastify has a request (headers over the limit, a
 * request that never arrives in full, bytes that are not HTTP) in the stable error shape
 * `{error: {code, message}}`, as every other answer: Fastify's default wrote its own
 * `{"error":"Request Header Fields Too Large",...,"statusCode":431}`.
 */
export function createClientErrorHandler(options: {
  /** The server's limit of the request line and headers (Node's `--max-http-header-size` when absent). */
  readonly maxHeaderSize?: number;
  readonly requestTimeout: number;
}): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const { status, answer } = clientErrorAnswer(error, options);
    if (socket.writable) {
      const body: ErrorBody = {
        error: {
          code: answer.code,
          message: answer.message,
          ...(answer.details ? { details: answer.details } : {}),
        },
      };
      const text = JSON.stringify(body);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\n` +
          "Content-Type: application/json; charset=utf-8\r\n" +
          "Connection: close\r\n\r\n" +
          text,
      );
    }
    socket.destroy(error);
  };
}

/** The HTTP status and coded error for a parser's refusal. */
export function clientErrorAnswer(
  error: ClientError,
  options: { readonly maxHeaderSize?: number; readonly requestTimeout: number },
): { status: number; answer: PassageError } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      // RFC 6585 section 5: 431 Request Header Fields Too Large.
      return {
        status: 431,
        answer: ServerErrors.headersTooLarge.create(options.maxHeaderSize ?? maxHeaderSize),
      };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, answer: ServerErrors.requestTimeout.create(options.requestTimeout) };
    default:
      return {
        status: 400,
        answer: ServerErrors.malformedRequest.create(error.reason ?? error.code ?? "unreadable request"),
      };
  }
}
