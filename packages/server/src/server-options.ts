/** Defaults of the HTTP layer, in one place with their units. */
export const SERVER_DEFAULTS = {
  bodyLimit: 1024 * 1024, // 1 MiB for JSON bodies
  feedBodyLimit: 256 * 1024 * 1024, // 256 MiB for NDJSON feed uploads (streamed into ingest)
  rateLimitPerMinute: 6000, // per authenticated actor, or per address when anonymous
  requestTimeout: 120_000, // 2 min
} as const;
