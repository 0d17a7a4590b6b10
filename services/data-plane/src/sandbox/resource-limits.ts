/**
 * CPU and memory limits for local sandboxes: a cgroup v1 group per sandbox (cpu quota, memory limit, pids limit) when the
 * hierarchies are writable, otherwise per-process rlimits. Also the source of `stats`.
 */
import { closeSync, openSync, constants as fsConstants } from "node:fs";
import { access, constants, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import type { SandboxSpec } from "./sandbox.provider.js";

export type LimitsMode = "cgroup-v1" | "rlimit";

const CONTROLLERS = ["cpu", "cpuacct", "memory", "pids"] as const;
type Controller = (typeof CONTROLLERS)[number];
const CFS_PERIOD_US = 100_000;
const PIDS_MAX = 1024;
const MIB = 1024 * 1024;

export async function detectLimitsMode(cgroupRoot: string): Promise<LimitsMode> {
  try {
    await Promise.all(CONTROLLERS.map((c) => access(`${cgroupRoot}/${c}`, constants.W_OK)));
    await access(`${cgroupRoot}/memory/memory.limit_in_bytes`, constants.R_OK);
    return "cgroup-v1";
  } catch {
    return "rlimit";
  }
}

export function cgroupDir(cgroupRoot: string, controller: Controller, sandboxId: string): string {
  return `${cgroupRoot}/${controller}/clawea-${sandboxId}`;
}

/**
 * The sandbox's cgroup.procs files, opened for writing (close them once handed to a child). A sandbox's PID 1 writes
 * "0" (itself) into each before it starts anything, so nothing escapes the groups by forking early; the check is on
 * the opener's credentials, so the unprivileged exec prelude can join too (and closes them before the command).
 */
export function openCgroupProcs(cgroupRoot: string, sandboxId: string): number[] {
  const fds: number[] = [];
  try {
    for (const c of CONTROLLERS) fds.push(openSync(`${cgroupDir(cgroupRoot, c, sandboxId)}/cgroup.procs`, fsConstants.O_WRONLY));
  } catch (err) {
    closeFds(fds);
    throw err;
  }
  return fds;
}

export function closeFds(fds: readonly number[]): void {
  for (const fd of fds) closeSync(fd);
}

export async function createCgroups(cgroupRoot: string, spec: SandboxSpec): Promise<void> {
  for (const c of CONTROLLERS) await mkdir(cgroupDir(cgroupRoot, c, spec.id), { recursive: true });
  await writeFile(`${cgroupDir(cgroupRoot, "cpu", spec.id)}/cpu.cfs_period_us`, String(CFS_PERIOD_US));
  const quotaUs = Math.max(1000, Math.round((spec.cpuMillis / 1000) * CFS_PERIOD_US));
  await writeFile(`${cgroupDir(cgroupRoot, "cpu", spec.id)}/cpu.cfs_quota_us`, String(quotaUs));
  await writeFile(`${cgroupDir(cgroupRoot, "memory", spec.id)}/memory.limit_in_bytes`, String(spec.memoryMb * MIB));
  await writeFile(`${cgroupDir(cgroupRoot, "pids", spec.id)}/pids.max`, String(PIDS_MAX));
}

export async function cgroupPids(cgroupRoot: string, sandboxId: string): Promise<number[]> {
  const text = await readFile(`${cgroupDir(cgroupRoot, "pids", sandboxId)}/cgroup.procs`, "utf8").catch(() => "");
  return text.split("\n").filter((l) => l !== "").map(Number);
}

/** Removes the groups; the kernel refuses while a process is still inside, so callers kill first and we retry briefly. */
export async function removeCgroups(cgroupRoot: string, sandboxId: string): Promise<void> {
  for (const c of CONTROLLERS) {
    const dir = cgroupDir(cgroupRoot, c, sandboxId);
    for (let attempt = 0; ; attempt++) {
      try {
        await rmdir(dir);
        break;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === "ENOENT") break;
        if (code !== "EBUSY" || attempt >= 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

export async function cgroupUsage(cgroupRoot: string, sandboxId: string): Promise<{ cpuMillisUsed: number; memoryBytes: number }> {
  const cpuNs = Number(await readFile(`${cgroupDir(cgroupRoot, "cpuacct", sandboxId)}/cpuacct.usage`, "utf8"));
  const memory = Number(await readFile(`${cgroupDir(cgroupRoot, "memory", sandboxId)}/memory.usage_in_bytes`, "utf8"));
  return { cpuMillisUsed: cpuNs / 1e6, memoryBytes: memory };
}

/**
 * rlimits applied in both modes, as `ulimit` letter=value settings for the preludes' POSIX sh (-f counts 512-byte blocks,
 * -d KiB): no core dumps, bounded files and descriptors; RLIMIT_DATA stands in for memory without cgroups.
 */
export function ulimitSettings(spec: SandboxSpec, mode: LimitsMode): string[] {
  const settings = ["c=0", "n=4096", `f=${spec.diskMb * 2048}`];
  if (mode === "rlimit") settings.push(`d=${spec.memoryMb * 1024}`);
  return settings;
}

const CLOCK_TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

/** Without cgroups: sum utime+stime and RSS over the live process trees below the given roots (finished processes are not counted). */
export async function procTreeUsage(rootPids: readonly number[]): Promise<{ cpuMillisUsed: number; memoryBytes: number }> {
  const children = new Map<number, number[]>();
  const stats = new Map<number, { ticks: number; rssPages: number }>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (stat === null) continue;
    // Fields after the parenthesised command name: state ppid ... utime(14) stime(15) ... rss(24).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    stats.set(pid, { ticks: Number(fields[11]) + Number(fields[12]), rssPages: Number(fields[21]) });
  }
  let ticks = 0;
  let rssPages = 0;
  const queue = [...rootPids];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const s = stats.get(pid);
    if (s !== undefined) {
      ticks += s.ticks;
      rssPages += s.rssPages;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return { cpuMillisUsed: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, memoryBytes: rssPages * PAGE_BYTES };
}
