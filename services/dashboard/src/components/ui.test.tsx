import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Hash, Pager, ProblemAlert, StateBadge } from "./ui.js";
import { VerificationReport } from "./verification.js";

describe("shared components", () => {
  it("a refusal shows its reason code and request id in an alert", () => {
    const html = renderToStaticMarkup(<ProblemAlert what="The decision" problem={{ origin: "server", status: 403, reasonCode: "APPROVER_NOT_PERMITTED", detail: "the requester cannot approve", requestId: "req_1" }} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('<code class="reason-code">APPROVER_NOT_PERMITTED</code>');
    expect(html).toContain("roles do not allow this");
    expect(html).toContain("req_1");
  });

  it("an unreachable control plane, or a failure in the page itself, is said so, with no code to show", () => {
    const offline = renderToStaticMarkup(<ProblemAlert what="Loading runs" problem={{ origin: "network", status: 0, reasonCode: null, detail: "Failed to fetch", requestId: null }} />);
    expect(offline).toContain("No answer from the control plane.");
    expect(offline).not.toContain("reason-code");
    const local = renderToStaticMarkup(<ProblemAlert what="Verification" problem={{ origin: "browser", status: 0, reasonCode: null, detail: "EvalError: blocked", requestId: null }} />);
    expect(local).toContain("Something failed in this page.");
    expect(local).toContain("EvalError: blocked");
  });

  it("short hashes keep the full value for hover and screen readers", () => {
    const value = "hUfov3FYumMnSIDgjbmogaDTu9v6FRA5sYRnbfKelLc";
    expect(renderToStaticMarkup(<Hash value={value} />)).toBe(`<code class="hash-short" title="${value}" aria-label="${value}">hUfov3FY…nbfKelLc</code>`);
    expect(renderToStaticMarkup(<Hash value={value} full />)).toContain(`>${value}<`);
    expect(renderToStaticMarkup(<Hash value={null} />)).toContain("—");
    expect(renderToStaticMarkup(<StateBadge state="awaiting_approval" />)).toBe('<span class="badge badge-awaiting_approval">awaiting approval</span>');
  });

  it("the pager disables what cannot be reached", () => {
    const html = renderToStaticMarkup(<Pager label="Runs pages" page={1} hasPrevious={false} hasNext onPrevious={() => undefined} onNext={() => undefined} />);
    expect(html).toMatch(/<button type="button" disabled="">← Previous<\/button>/);
    expect(html).toMatch(/<button type="button">Next →<\/button>/);
  });

  it("a failed verification lists every finding with its path", () => {
    const html = renderToStaticMarkup(
      <VerificationReport
        where="test"
        verdict={{
          valid: false,
          reason_codes: ["HASH_MISMATCH", "SIGNATURE_INVALID"],
          findings: [
            { code: "HASH_MISMATCH", path: "manifest.entries[0]", message: "sha256 differs" },
            { code: "SIGNATURE_INVALID", path: "signature_b64u", message: "bad signature" },
          ],
          details: null,
        }}
      />,
    );
    expect(html).toContain("Bundle INVALID");
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).toContain("<code>manifest.entries[0]</code>");
  });
});
