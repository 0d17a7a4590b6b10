/**
 * The sandbox's only way out. Outside the sandbox a Unix socket per gateway endpoint forwards each connection to the
 * real gateway host:port; inside, a tiny relay (started by the sandbox's init, inside its network namespace, for as
 * long as the sandbox runs) listens on the sandbox's loopback and forwards to that socket.
 */
import { chmod, rm } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { IN_SANDBOX } from "./sandbox-paths.js";
import type { SandboxSpec } from "./sandbox.provider.js";

/** Loopback ports inside the sandbox. */
export const BRIDGE_PORTS = { model: 18080, proxy: 18081 } as const;
export type BridgeName = keyof typeof BRIDGE_PORTS;
export const BRIDGE_NAMES: readonly BridgeName[] = ["model", "proxy"];

export function bridgeSocketName(name: BridgeName): string {
  return `${name}.sock`;
}

/** The relay that runs inside the namespace: `node -e RELAY_SOURCE sock port [sock port...]`, prints "ready" once listening. */
export const RELAY_SOURCE = [
  'const net = require("node:net");',
  "const args = process.argv.slice(1);",
  "let pending = args.length / 2;",
  "for (let i = 0; i < args.length; i += 2) {",
  "  net.createServer((c) => {",
  "    const up = net.connect(args[i]);",
  "    c.on('error', () => up.destroy()); up.on('error', () => c.destroy());",
  "    c.pipe(up).pipe(c);",
  "  }).listen(Number(args[i + 1]), '127.0.0.1', () => { if (--pending === 0) process.stdout.write('ready\\n'); });",
  "}",
].join("\n");

export function relayArgs(): string[] {
  return BRIDGE_NAMES.flatMap((name) => [`${IN_SANDBOX.bridgeDir}/${bridgeSocketName(name)}`, String(BRIDGE_PORTS[name])]);
}

function target(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  const port = parsed.port !== "" ? Number(parsed.port) : parsed.protocol === "https:" ? 443 : 80;
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port };
}

/** The gateway URLs as the sandbox sees them: same path, host and port replaced by the bridged loopback port. */
export function gatewayEnv(gateway: SandboxSpec["gateway"]): Record<string, string> {
  const model = new URL(gateway.modelUrl);
  const modelInside = `http://127.0.0.1:${BRIDGE_PORTS.model}${model.pathname === "/" ? "" : model.pathname}`;
  const proxyInside = `http://127.0.0.1:${BRIDGE_PORTS.proxy}`;
  return {
    CLAWEA_GATEWAY_URL: modelInside,
    OPENAI_BASE_URL: modelInside,
    CLAWEA_EGRESS_PROXY_URL: proxyInside,
    HTTP_PROXY: proxyInside,
    HTTPS_PROXY: proxyInside,
    http_proxy: proxyInside,
    https_proxy: proxyInside,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}

export interface GatewayBridge {
  close(): Promise<void>;
}

function pipeTo(client: Socket, host: string, port: number, live: Set<Socket>): void {
  const upstream = connect({ host, port });
  live.add(client).add(upstream);
  client.on("close", () => live.delete(client));
  upstream.on("close", () => live.delete(upstream));
  client.on("error", () => upstream.destroy());
  upstream.on("error", () => client.destroy());
  client.pipe(upstream).pipe(client);
}

async function listenUnix(socketPath: string, host: string, port: number, live: Set<Socket>): Promise<Server> {
  await rm(socketPath, { force: true });
  const server = createServer((client) => pipeTo(client, host, port, live));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // The relay runs unprivileged inside the sandbox; the socket sits in a directory only that sandbox can see.
  await chmod(socketPath, 0o666);
  return server;
}

/** Opens the host side of every bridge, sockets placed in `socketDir` (the directory bind-mounted at IN_SANDBOX.bridgeDir). */
export async function openGatewayBridge(socketDir: string, gateway: SandboxSpec["gateway"]): Promise<GatewayBridge> {
  const urls: Record<BridgeName, string> = { model: gateway.modelUrl, proxy: gateway.egressProxyUrl };
  const servers: Server[] = [];
  const live = new Set<Socket>();
  const closeAll = async (): Promise<void> => {
    for (const socket of live) socket.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  };
  try {
    for (const name of BRIDGE_NAMES) {
      const { host, port } = target(urls[name]);
      servers.push(await listenUnix(`${socketDir}/${bridgeSocketName(name)}`, host, port, live));
    }
  } catch (err) {
    await closeAll();
    throw err;
  }
  return { close: closeAll };
}
