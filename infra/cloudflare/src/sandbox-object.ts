/**
 * The Durable Object behind every sandbox: the SDK's `Sandbox` (one container per object) with
 * no internet of its own, and the bridge's record of the sandbox (spec, running/stopped) in the
 * object's storage, so a sandbox exists exactly when its record does.
 */
import { Sandbox } from "@cloudflare/sandbox";
import { egressHosts } from "./container-commands.js";
import type { SandboxSpecWire, SandboxState } from "./protocol.js";

export interface SandboxRecord {
  spec: SandboxSpecWire;
  state: SandboxState;
}

const RECORD_KEY = "clawea:record";

export class ClaweaSandbox extends Sandbox {
  // Default-deny egress: the container gets no internet; only the gateway's hosts are let through
  // (`allowedHosts`, set per sandbox on create), by Cloudflare's outbound interception.
  override enableInternet = false;
  // HTTPS to the gateway goes through the same interception (the container trusts Cloudflare's CA).
  override interceptHttps = true;

  async claweaRecord(): Promise<SandboxRecord | null> {
    return (await this.ctx.storage.get<SandboxRecord>(RECORD_KEY)) ?? null;
  }

  /** Records the sandbox unless it exists (create by id is idempotent: the first spec wins) and pins its egress to the gateway. */
  async claweaCreate(spec: SandboxSpecWire): Promise<{ record: SandboxRecord; created: boolean }> {
    const existing = await this.claweaRecord();
    if (existing !== null) return { record: existing, created: false };
    const record: SandboxRecord = { spec, state: "running" };
    await this.setAllowedHosts(egressHosts(spec.gateway));
    await this.ctx.storage.put(RECORD_KEY, record);
    return { record, created: true };
  }

  async claweaSetState(state: SandboxState): Promise<void> {
    const record = await this.claweaRecord();
    if (record !== null) await this.ctx.storage.put(RECORD_KEY, { ...record, state });
  }

  async claweaForget(): Promise<void> {
    await this.ctx.storage.delete(RECORD_KEY);
  }
}
