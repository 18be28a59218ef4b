import type { z } from "zod";

/** An event type: its name, payload schema and inferred payload type. */
export interface EventDefinition<Name extends string, Schema extends z.ZodType> {
  readonly name: Name;
  readonly schema: Schema;
  /** Validates a payload where it enters (ingest, outbox read, NATS); throws on mismatch. */
  parseOrThrow(payload: unknown): z.infer<Schema>;
}

export function defineEvent<Name extends string, Schema extends z.ZodType>(
  name: Name,
  schema: Schema,
): EventDefinition<Name, Schema> {
  return {
    name,
    schema,
    parseOrThrow(payload: unknown) {
      const result = schema.safeParse(payload);
      if (!result.success) {
        throw new Error(
          `invalid ${name} event: ${result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        );
      }
      return result.data;
    },
  };
}
