import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** Debian's nats-server (scripts/debian-packages.mjs installs it for the suite). */
export const NATS_SERVER_BINARY = process.env.PASSAGE_NATS_SERVER ?? "/usr/sbin/nats-server";

export interface NatsTestNode {
  readonly name: string;
  readonly clientUrl: string;
  readonly running: boolean;
}

/** A JetStream cluster of Debian's nats-server on loopback, for tests and benchmarks. */
export interface NatsTestCluster {
  readonly nodes: readonly NatsTestNode[];
  /** Every node's client URL, for a client's server list. */
  readonly servers: readonly string[];
  /** Kills one node abruptly (SIGKILL), as a crashed machine would stop. */
  killNode(index: number): Promise<void>;
  /** Starts a stopped node again on its old ports and store; waits until it takes clients and JetStream answers. */
  restartNode(index: number): Promise<void>;
  /** Stops every node and removes the temporary directory. */
  stop(): Promise<void>;
}

interface NodeState {
  name: string;
  clientPort: number;
  routePort: number;
  configFile: string;
  process: ChildProcess | undefined;
  logFile: string;
}

/**
 * Writes one configuration per node into a temporary directory (free loopback ports, a
 * JetStream store each, full-mesh routes), starts the nodes and waits until JetStream has
 * elected its meta leader, so a replicated stream can be created at once.
 */
export async function startNatsTestCluster(
  options: { size?: number; jetstream?: boolean } = {},
): Promise<NatsTestCluster> {
  const size = options.size ?? 3;
  // Without JetStream (a server started without -js): what the relay and workers must refuse.
  const withJetStream = options.jetstream ?? true;
  if (!fs.existsSync(NATS_SERVER_BINARY)) {
    throw new Error(`${NATS_SERVER_BINARY} is missing: apt-get install nats-server (Debian's, 2.9)`);
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "passage-nats-"));
  const ports = await freePorts(size * 2);
  const nodes: NodeState[] = Array.from({ length: size }, (_, index) => ({
    name: `passage-nats-${index + 1}`,
    clientPort: ports[index * 2]!,
    routePort: ports[index * 2 + 1]!,
    configFile: path.join(directory, `node-${index + 1}.conf`),
    logFile: path.join(directory, `node-${index + 1}.log`),
    process: undefined,
  }));
  for (const node of nodes) {
    const routes = nodes.map((other) => `nats-route://127.0.0.1:${other.routePort}`).join(", ");
    fs.writeFileSync(
      node.configFile,
      [
        `server_name: ${node.name}`,
        `listen: 127.0.0.1:${node.clientPort}`,
        `log_file: "${node.logFile}"`,
        ...(withJetStream
          ? [
              `jetstream {`,
              `  store_dir: "${path.join(directory, `${node.name}-store`)}"`,
              `  max_memory_store: 64MB`,
              `  max_file_store: 1GB`,
              `}`,
            ]
          : []),
        // One node runs JetStream standalone: a cluster of one never elects a meta leader.
        ...(size > 1
          ? [
              `cluster {`,
              `  name: passage-test`,
              `  listen: 127.0.0.1:${node.routePort}`,
              `  routes: [${routes}]`,
              `}`,
            ]
          : []),
        "",
      ].join("\n"),
    );
  }
  const servers = nodes.map((node) => `nats://127.0.0.1:${node.clientPort}`);
  const cluster: NatsTestCluster = {
    get nodes() {
      return nodes.map((node) => ({
        name: node.name,
        clientUrl: `nats://127.0.0.1:${node.clientPort}`,
        running: node.process !== undefined,
      }));
    },
    servers,
    async killNode(index) {
      const node = nodeAt(nodes, index);
      await stopProcess(node, "SIGKILL");
    },
    async restartNode(index) {
      const node = nodeAt(nodes, index);
      if (node.process) throw new Error(`${node.name} is already running`);
      startNode(node);
      await waitForPort(node.clientPort, node);
      // A rejoining node can take the cluster through a new leader election: until a meta leader
      // answers, JetStream requests (stream info, consumer creation) time out.
      if (withJetStream) await waitForJetStream(servers);
    },
    async stop() {
      await Promise.all(nodes.map((node) => stopProcess(node, "SIGTERM")));
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
  try {
    for (const node of nodes) startNode(node);
    for (const node of nodes) await waitForPort(node.clientPort, node);
    if (withJetStream) await waitForJetStream(servers);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

function nodeAt(nodes: NodeState[], index: number): NodeState {
  const node = nodes[index];
  if (!node) throw new Error(`no NATS test node ${index} (the cluster has ${nodes.length})`);
  return node;
}

function startNode(node: NodeState): void {
  const child = spawn(NATS_SERVER_BINARY, ["-c", node.configFile], { stdio: "ignore" });
  node.process = child;
  child.once("exit", () => {
    if (node.process === child) node.process = undefined;
  });
}

async function stopProcess(node: NodeState, signal: NodeJS.Signals): Promise<void> {
  const child = node.process;
  if (!child || child.exitCode !== null) {
    node.process = undefined;
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(escalate);
  node.process = undefined;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function waitForPort(port: number, node: NodeState, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!node.process) break;
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = fs.existsSync(node.logFile) ? fs.readFileSync(node.logFile, "utf8").slice(-2_000) : "";
  throw new Error(`${node.name} did not accept clients on port ${port}; its log ends:\n${log}`);
}

/** Waits until the cluster has a JetStream meta leader (account info answers). */
async function waitForJetStream(servers: readonly string[], timeoutMs = 30_000): Promise<void> {
  const connection = await connect({ servers: [...servers], name: "passage-test-cluster-probe" });
  try {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        const manager = await jetstreamManager(connection, { timeout: 2_000 });
        await manager.getAccountInfo();
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`JetStream cluster did not elect a leader: ${(lastError as Error)?.message}`);
  } finally {
    await connection.close();
  }
}
