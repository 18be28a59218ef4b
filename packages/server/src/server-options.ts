/** Defaults of the HTTP layer, in one place with their units. */
export const SERVER_DEFAULTS = {
  bodyLimit: 1024 * 1024, // 1 MiB for JSON bodies
  feedBodyLimit: 256 * 1024 * 1024, // 256 MiB for NDJSON feed uploads (streamed into ingest)
  rateLimitPerMinute: 6000, // per authenticated actor, or per address when anonymous
  // per address: requests refused for want of a valid session or token (each is audited when a
  // token was presented), so that guessing and flooding the audit log are bounded
  failedAuthenticationsPerMinute: 600,
  requestTimeout: 120_000, // 2 min
  // characters of one path parameter the router matches: Node's 16 KiB limit of the request line
  // and headers, so no parameter is too long to route and the operation's schema judges its
  // length (the router's default, 100, answered "no operation" for ids the schemas accept)
  maxParamLength: 16 * 1024,
} as const;
