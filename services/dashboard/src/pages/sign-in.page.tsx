/** Sign in with an API key (an auditor key suffices): checked against GET /v1/trust, which every role may read. */
import { useState, type FormEvent } from "react";
import { createApi } from "../api/client.js";
import { problemOf, type Problem } from "../api/problem.js";
import { PageHeading, ProblemAlert } from "../components/ui.js";
import { unwrap } from "@clawea/sdk";

export function SignIn({ onSignedIn, notice }: { onSignedIn: (token: string) => void; notice: Problem | null }) {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) return;
    setBusy(true);
    setProblem(null);
    try {
      unwrap(await createApi(candidate, () => undefined).client.GET("/v1/trust"));
      onSignedIn(candidate);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <PageHeading>Sign in to the clawea audit dashboard</PageHeading>
      <p>
        Use a tenant API key. An <strong>auditor</strong> key can read runs, evidence and the fleet; approving needs a key with an approver role
        (security or admin). The key is kept in this tab only and sent as a bearer token with every request.
      </p>
      {notice ? <ProblemAlert problem={notice} what="You were signed out: the last request" /> : null}
      <form onSubmit={submit} aria-describedby="sign-in-help">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="key_….secret"
        />
        <p id="sign-in-help" className="muted small">
          Format <code>key_&lt;id&gt;.&lt;secret&gt;</code>, as shown once when the key was created.
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {problem ? <ProblemAlert problem={problem} what="Sign-in" /> : null}
    </main>
  );
}
