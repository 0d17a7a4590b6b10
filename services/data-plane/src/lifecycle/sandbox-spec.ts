/** The sandbox an agent row asks for: what deploy creates and what a restart re-creates by the same id. */
import type { agents } from "@clawea/db";
import type { SandboxSpec } from "../sandbox/sandbox.provider.js";

export function sandboxSpecFor(row: typeof agents.$inferSelect, gateway: SandboxSpec["gateway"], id: string = row.id): SandboxSpec {
  return {
    id,
    tenantId: row.tenantId,
    runtime: row.runtime === "openclaw" ? "openclaw" : "reference",
    cpuMillis: row.cpuMillis,
    memoryMb: row.memoryMb,
    diskMb: row.diskMb,
    stateless: row.stateless,
    gateway,
  };
}
