#!/usr/bin/env node
// `pnpm demo` runs the main journey against the platform services. Those services (control plane,
// data plane, gateway) are not built yet, so the journey cannot run; say so plainly instead of
// pretending.
process.stderr.write(
  [
    "clawea demo: NOT AVAILABLE YET (reason: PLATFORM_NOT_BUILT)",
    "The main journey needs the control plane, data plane and gateway, which are still being built.",
    "What works today, offline:",
    "  pnpm build && pnpm clawea verify export-bundle ../shared/clawsig/vectors/export_bundle_golden.v1.json \\",
    "      --trust-file ../shared/clawsig/vectors/trust-config.json",
    "",
  ].join("\n"),
);
process.exitCode = 1;
