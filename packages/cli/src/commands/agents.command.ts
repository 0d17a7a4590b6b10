/** `clawea agents …` and `clawea fleet`: the platform API through the typed SDK. */
import { parseArgs } from "node:util";
import { ClaweaApiError, createClaweaClient, unwrap, type ClaweaClient } from "@clawea/sdk";
import { EXIT, UsageError, type CliIo, type ExitStatus } from "../io.js";

export const AGENTS_USAGE = `usage: clawea agents list [--status S] [--template T] [--limit N] [--cursor C]
       clawea agents get|health|sleep|wake|destroy AGENT_ID
       clawea agents deploy --template T --name N
       clawea fleet
  (all take --url URL (or CLAWEA_URL) and --token KEY (or CLAWEA_TOKEN); --json prints the raw answer)

exit status: 0 done, 1 the API refused (its reason code is printed), 2 bad arguments or unreachable API`;

const COMMON = {
  url: { type: "string" },
  token: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

function connect(values: { url?: string | undefined; token?: string | undefined }, io: CliIo): ClaweaClient {
  const baseUrl = values.url ?? io.env("CLAWEA_URL");
  const token = values.token ?? io.env("CLAWEA_TOKEN");
  if (!baseUrl) throw new UsageError("USAGE", "no API: pass --url or set CLAWEA_URL");
  if (!token) throw new UsageError("USAGE", "no key: pass --token or set CLAWEA_TOKEN");
  return createClaweaClient({ baseUrl, token });
}

/** Runs one API call: prints the answer, maps a refusal to exit 1 and an unreachable API to exit 2. */
async function call<T>(io: CliIo, json: boolean, request: () => Promise<T>, render: (value: T) => string): Promise<ExitStatus> {
  let value: T;
  try {
    value = await request();
  } catch (error) {
    if (error instanceof ClaweaApiError) {
      io.stderr(`clawea: ${error.status} ${error.reasonCode}: ${String(error.problem.detail ?? "")}\n`);
      return EXIT.INVALID;
    }
    if (error instanceof TypeError) throw new UsageError("INPUT_UNREADABLE", `the API is unreachable: ${error.message}`);
    throw error;
  }
  io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : render(value));
  return EXIT.VALID;
}

interface AgentLine {
  id: string;
  name: string;
  status: string;
  template_id: string;
}

const line = (a: AgentLine) => `${a.id}  ${a.status.padEnd(12)}  ${a.template_id.padEnd(24)}  ${a.name}\n`;

export async function agentsCommand(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...COMMON, status: { type: "string" }, template: { type: "string" }, name: { type: "string" }, limit: { type: "string" }, cursor: { type: "string" } },
  });
  const [verb, agentId, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError("USAGE", AGENTS_USAGE);
  const api = connect(values, io);
  const path = { params: { path: { agent_id: agentId ?? "" } } };
  const needId = (): void => {
    if (!agentId) throw new UsageError("USAGE", `clawea agents ${verb} needs AGENT_ID`);
  };
  switch (verb) {
    case "list": {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      const query = {
        limit,
        ...(values.status ? { status: values.status as never } : {}),
        ...(values.template ? { template_id: values.template } : {}),
        ...(values.cursor ? { cursor: values.cursor } : {}),
      };
      return call(io, values.json, async () => unwrap(await api.GET("/v1/agents", { params: { query } })), (page) =>
        `${page.items.map(line).join("")}${page.next_cursor ? `next: --cursor ${page.next_cursor}\n` : ""}`,
      );
    }
    case "get":
      needId();
      return call(io, values.json, async () => unwrap(await api.GET("/v1/agents/{agent_id}", path)), (a) => line(a));
    case "health":
      needId();
      return call(io, values.json, async () => unwrap(await api.GET("/v1/agents/{agent_id}/health", path)), (h) =>
        `${h.agent_id}  ${h.status}${h.pending_action ? ` (pending ${h.pending_action.action})` : ""}  sandbox ${h.sandbox_id ?? "-"}  last error ${h.last_error_code ?? "-"}\n`,
      );
    case "sleep":
    case "wake":
      needId();
      return call(io, values.json, async () => unwrap(await api.POST(`/v1/agents/{agent_id}/${verb}`, path)), (a) => line(a));
    case "destroy":
      needId();
      return call(io, values.json, async () => unwrap(await api.DELETE("/v1/agents/{agent_id}", path)), (a) => line(a));
    case "deploy": {
      if (!values.template || !values.name) throw new UsageError("USAGE", "clawea agents deploy needs --template and --name");
      const body = { template_id: values.template, name: values.name };
      return call(io, values.json, async () => unwrap(await api.POST("/v1/agents", { body })), (a) => line(a));
    }
    default:
      throw new UsageError("USAGE", AGENTS_USAGE);
  }
}

export async function fleetCommand(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: COMMON });
  if (positionals.length > 0) throw new UsageError("USAGE", AGENTS_USAGE);
  const api = connect(values, io);
  return call(io, values.json, async () => unwrap(await api.GET("/v1/fleet/summary")), (f) =>
    `${f.total} agents: ${Object.entries(f.by_status)
      .map(([status, n]) => `${n} ${status}`)
      .join(", ")}\n`,
  );
}
