import { z } from "zod";

const DEFAULT_NATS = {
  servers: ["nats://127.0.0.1:4222"],
  stream: "PASSAGE_EVENTS",
  replicas: 3,
  partitions: 8,
};

/** Settings of the NATS JetStream scale-out (ARCHITECTURE.md "Scale-out"); part of the config schema. */
export const NatsConfigSchema = z
  .object({
    servers: z
      .array(z.string().regex(/^(nats|tls):\/\/[^\s,]+$/, "a server is nats://HOST:PORT or tls://HOST:PORT"))
      .min(1)
      .default(DEFAULT_NATS.servers)
      .describe(
        "NATS servers the relay and workers connect to (any node of the cluster; $PASSAGE_NATS_SERVERS)",
      ),
    stream: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and - only")
      .default(DEFAULT_NATS.stream)
      .describe("JetStream stream the relay publishes the outbox to; subjects passage.events.<partition>"),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(DEFAULT_NATS.replicas)
      .describe("Stream replicas (3 survives one node down; 1 for a single development server)"),
    partitions: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(DEFAULT_NATS.partitions)
      .describe(
        "Partitions of the outbox by partition key, for the in-process projection runner and for workers " +
          "(--partition I/N with this N)",
      ),
  })
  .default(DEFAULT_NATS);

export type NatsConfig = Readonly<z.infer<typeof NatsConfigSchema>>;

/** The NATS settings from `PASSAGE_NATS_SERVERS` (comma-separated), `_STREAM`, `_REPLICAS`, `_PARTITIONS`. */
export function natsConfigFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): z.input<typeof NatsConfigSchema> {
  const number = (value: string | undefined) =>
    value === undefined || value === "" ? undefined : Number(value);
  return {
    servers: env.PASSAGE_NATS_SERVERS?.split(",")
      .map((server) => server.trim())
      .filter((server) => server !== ""),
    stream: env.PASSAGE_NATS_STREAM || undefined,
    replicas: number(env.PASSAGE_NATS_REPLICAS),
    partitions: number(env.PASSAGE_NATS_PARTITIONS),
  };
}
