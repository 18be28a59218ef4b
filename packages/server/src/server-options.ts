/** Defaults of the HTTP layer, in one place with their units. */
export const SERVER_DEFAULTS = {
  bodyLimit: 1024 * 1024, // 1 MiB for JSON bodies
  feedBodyLimit: 256 * 1024 * 1024, // 256 MiB for NDJSON feed uploads (streamed into ingest)
  rateLimitPerMinute: 6000, // per authenticated actor, or per address when anonymous
  // per address: requests refused for want of a valid session or token (each is audited when a
  // token was presented), so that guessing and flooding the audit log are bounded
  failedAuthenticationsPerMinute: 600,
  requestTimeout: 120_000, // 2 min
} as const;
