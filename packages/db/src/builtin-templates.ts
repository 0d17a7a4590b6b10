/** The templates every tenant can deploy from: opinionated defaults, kept in code and upserted on migrate. */
import type { templates } from "./schema/index.js";

type TemplateRow = typeof templates.$inferInsert;

export const BUILTIN_TEMPLATES: readonly TemplateRow[] = [
  {
    id: "tpl_reference_small",
    tenantId: null,
    name: "reference-small",
    description: "The built-in reference agent: small, stateless, for scripted tasks and CI.",
    runtime: "reference",
    model: "openai/gpt-4.1-mini",
    cpuMillis: 500,
    memoryMb: 512,
    diskMb: 1024,
    sleepAfterSeconds: 600,
    stateless: true,
    secretRefs: [],
    config: {},
  },
  {
    id: "tpl_openclaw_standard",
    tenantId: null,
    name: "openclaw-standard",
    description: "OpenClaw, headless, coding tool profile; workspace kept across sleeps.",
    runtime: "openclaw",
    model: "anthropic/claude-sonnet-4.5",
    cpuMillis: 2000,
    memoryMb: 2048,
    diskMb: 8192,
    sleepAfterSeconds: 1800,
    stateless: false,
    secretRefs: [],
    config: { tools_profile: "coding" },
  },
  {
    id: "tpl_openclaw_stateless",
    tenantId: null,
    name: "openclaw-stateless",
    description: "OpenClaw for one-shot tasks: nothing survives a sleep.",
    runtime: "openclaw",
    model: "openai/gpt-4.1",
    cpuMillis: 1000,
    memoryMb: 1536,
    diskMb: 4096,
    sleepAfterSeconds: 300,
    stateless: true,
    secretRefs: [],
    config: { tools_profile: "minimal" },
  },
];
