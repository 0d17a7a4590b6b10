/**
 * Verify an export bundle file in this browser: the pure offline verifier (`@clawea/verify`) runs
 * here against trust anchors the auditor can read and edit; nothing is uploaded. The control plane's
 * own verification (POST /v1/verify/export-bundle) is offered as a cross-check.
 */
import { useEffect, useState, type FormEvent } from "react";
import { unwrap } from "@clawea/sdk";
import { problemOf, type Problem } from "../api/problem.js";
import { useSession } from "../app/session.js";
import { VerificationReport } from "../components/verification.js";
import { PageHeading, ProblemAlert, ReasonCodes, useAnnounce } from "../components/ui.js";
import { readBundleFile } from "../verify/bundle-file.js";
import type { BundleVerdict } from "../verify/verify-bundle.js";

/** The verifier (schemas, crypto) is its own chunk, loaded on first use. */
const verifier = () => import("../verify/verify-bundle.js");

export function VerifyBundle() {
  const { api } = useSession();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [trustText, setTrustText] = useState("");
  const [trustError, setTrustError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [verdict, setVerdict] = useState<BundleVerdict | null>(null);
  const [server, setServer] = useState<{ valid: boolean; reason_codes: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    api.client.GET("/v1/trust", { signal: controller.signal }).then(
      (result) => setTrustText(JSON.stringify(unwrap(result), null, 2)),
      (error: unknown) => {
        if (!controller.signal.aborted) setProblem(problemOf(error));
      },
    );
    return () => controller.abort();
  }, [api]);

  async function verify(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    const { parseTrust, verifyBundleBytes } = await verifier();
    const trust = parseTrust(trustText);
    if ("error" in trust) {
      setTrustError(trust.error);
      return;
    }
    setTrustError(null);
    setBusy(true);
    setVerdict(null);
    setServer(null);
    setProblem(null);
    try {
      const result = await verifyBundleBytes(new Uint8Array(await file.arrayBuffer()), trust, new Date());
      setVerdict(result);
      announce(result.valid ? `${file.name}: bundle valid` : `${file.name}: bundle invalid, ${result.reason_codes.join(", ")}`);
    } catch (error) {
      // The verifier answers every bad input with reason codes; an exception is this page's fault.
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  async function crossCheck() {
    if (!file) return;
    const { parseTrust } = await verifier();
    const trust = parseTrust(trustText);
    if ("error" in trust) {
      setTrustError(trust.error);
      return;
    }
    setTrustError(null);
    setBusy(true);
    setProblem(null);
    try {
      const artifact = (await readBundleFile(new Uint8Array(await file.arrayBuffer()))) as Record<string, unknown>;
      const result = unwrap(await api.client.POST("/v1/verify/export-bundle", { body: { artifact, trust: { allowed_signer_dids: [...trust.allowed_signer_dids], ...(trust.roles ? { roles: trust.roles as Record<string, string[]> } : {}) } } }));
      setServer(result);
      announce(`Control plane says ${result.valid ? "valid" : "invalid"}`);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading>Verify an export bundle</PageHeading>
      <p>
        Choose a bundle downloaded from a run (<code>.export.json</code> or <code>.export.tar.gz</code>). It is verified here, in this browser, by the same
        offline verifier the CLI uses: signatures, hashes, the event chain, receipts, attestations and log proofs, against the trust anchors below. The file
        is not sent anywhere.
      </p>
      <form onSubmit={verify} className="verify-form">
        <div className="field">
          <label htmlFor="bundle-file">Export bundle file</label>
          <input
            id="bundle-file"
            type="file"
            accept=".json,.tar.gz,.tgz,application/json,application/gzip"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setVerdict(null);
              setServer(null);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="trust">Trust anchors (JSON; from GET /v1/trust — pin your own if you prefer)</label>
          <textarea
            id="trust"
            rows={8}
            spellCheck={false}
            value={trustText}
            onChange={(e) => setTrustText(e.target.value)}
            aria-invalid={trustError !== null}
            aria-describedby={trustError ? "trust-error" : undefined}
          />
          {trustError ? (
            <p id="trust-error" className="field-error" role="alert">
              {trustError}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={!file || busy}>
            {busy ? "Verifying…" : "Verify in this browser"}
          </button>
          <button type="button" onClick={() => void crossCheck()} disabled={!file || busy}>
            Cross-check with the control plane
          </button>
        </div>
      </form>
      {problem ? <ProblemAlert problem={problem} what="The request" /> : null}
      {verdict ? <VerificationReport verdict={verdict} where={`${file?.name ?? "file"}, verified in this browser`} /> : null}
      {server ? (
        <p className="cross-check">
          Control plane (POST /v1/verify/export-bundle): <strong>{server.valid ? "valid" : "invalid"}</strong> <ReasonCodes codes={server.reason_codes} />
        </p>
      ) : null}
    </>
  );
}
