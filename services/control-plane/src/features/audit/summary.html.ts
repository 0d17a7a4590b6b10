/** The run summary as a small standalone HTML page (no scripts, no external assets), every value escaped. */
const escape = (value: unknown): string =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Summary {
  run_id: string;
  state: string;
  verdict: string;
  verification_reason_codes: string[];
  policy_hash: string;
  scope_hash: string | null;
  plan_hash: string | null;
  mission_id: string | null;
  approval: { status: string; decided_by: string | null; decided_via: string | null; decided_at: string | null } | null;
  side_effects: { kind: string; target: string; performed: boolean; reason_code: string | null }[];
  workspace_diff: unknown[];
  links: Record<string, string | null>;
}

export function summaryHtml(summary: Summary): string {
  const pass = summary.verdict === "PASS";
  const rows = (items: string[]) => (items.length === 0 ? "<li>none</li>" : items.join(""));
  const effects = summary.side_effects.map(
    (e) => `<li><code>${escape(e.kind)}</code> ${escape(e.target)} — ${e.performed ? "performed" : `not performed (${escape(e.reason_code)})`}</li>`,
  );
  const files = (summary.workspace_diff as { path: string; change: string }[]).map((f) => `<li><code>${escape(f.change)}</code> ${escape(f.path)}</li>`);
  const links = Object.entries(summary.links)
    .filter(([, href]) => href)
    .map(([name, href]) => `<li><a href="${escape(href)}">${escape(name)}</a></li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>clawea run ${escape(summary.run_id)}: VERIFIED ${escape(summary.verdict)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
.verdict{font-size:1.6rem;font-weight:700;color:${pass ? "#116329" : "#a40e26"}}code{font-size:.9em;word-break:break-all}dt{font-weight:600}</style></head>
<body><main>
<h1>Run <code>${escape(summary.run_id)}</code></h1>
<p class="verdict" role="status">VERIFIED ${escape(summary.verdict)}</p>
${summary.verification_reason_codes.length > 0 ? `<p>Reason codes: ${summary.verification_reason_codes.map((c) => `<code>${escape(c)}</code>`).join(", ")}</p>` : ""}
<dl>
<dt>State</dt><dd>${escape(summary.state)}</dd>
<dt>WPC hash</dt><dd><code>${escape(summary.policy_hash)}</code></dd>
<dt>Scope hash</dt><dd><code>${escape(summary.scope_hash ?? "none")}</code></dd>
<dt>Plan hash</dt><dd><code>${escape(summary.plan_hash ?? "none")}</code></dd>
${summary.mission_id ? `<dt>Mission</dt><dd>${escape(summary.mission_id)}</dd>` : ""}
<dt>Approval</dt><dd>${summary.approval ? `${escape(summary.approval.status)} by ${escape(summary.approval.decided_by)} via ${escape(summary.approval.decided_via)} at ${escape(summary.approval.decided_at)}` : "none"}</dd>
</dl>
<h2>Side effects</h2><ul>${rows(effects)}</ul>
<h2>What changed</h2><ul>${rows(files)}</ul>
<h2>Evidence</h2><ul>${rows(links)}</ul>
</main></body></html>
`;
}
