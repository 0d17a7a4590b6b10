/** A verifier's verdict, as an auditor reads it: valid or not, the reason codes, and where each finding sits. */
import type { BundleVerdict } from "../verify/verify-bundle.js";
import { ReasonCodes } from "./ui.js";

export function VerificationReport({ verdict, where }: { verdict: BundleVerdict; where: string }) {
  return (
    <section className={`verdict ${verdict.valid ? "verdict-pass" : "verdict-fail"}`} aria-labelledby="verification-result">
      <h3 id="verification-result">
        {verdict.valid ? "Bundle VALID" : "Bundle INVALID"} <span className="muted small">({where})</span>
      </h3>
      <p>
        Reason codes: <ReasonCodes codes={verdict.reason_codes} />
      </p>
      {verdict.details ? (
        <dl className="facts">
          <dt>Export</dt>
          <dd>
            <code>{verdict.details.export_id}</code>
          </dd>
          <dt>Issued by</dt>
          <dd>
            <code className="hash">{verdict.details.issuer_did}</code>
          </dd>
          <dt>Bundle hash</dt>
          <dd>
            <code className="hash">{verdict.details.bundle_hash_b64u}</code>
          </dd>
          <dt>Manifest entries</dt>
          <dd>{verdict.details.manifest_entry_count}</dd>
          <dt>Execution attestations</dt>
          <dd>{verdict.details.execution_attestations.length}</dd>
          <dt>Log anchors</dt>
          <dd>{verdict.details.log_anchors.length}</dd>
        </dl>
      ) : null}
      {verdict.findings.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>Findings</caption>
            <thead>
              <tr>
                <th scope="col">Reason code</th>
                <th scope="col">Where</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {verdict.findings.map((finding, i) => (
                <tr key={i}>
                  <td>
                    <code className="reason-code">{finding.code}</code>
                  </td>
                  <td>
                    <code>{finding.path}</code>
                  </td>
                  <td>{finding.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
