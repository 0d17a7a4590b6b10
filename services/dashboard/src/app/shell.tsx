/** The dashboard shell: sign-in gate, header navigation, and the page for the current route. */
import { useCallback, useMemo, useState } from "react";
import { createApi } from "../api/client.js";
import type { Problem } from "../api/problem.js";
import { clearToken, keyIdOf, loadToken, saveToken } from "../api/token-store.js";
import { Link, NavigationProvider, useNavigation } from "./navigation.js";
import { SessionContext, type Session } from "./session.js";
import { AnnouncerProvider, PageHeading } from "../components/ui.js";
import { BASE, hrefOf, NO_FILTERS, type Route } from "../lib/routes.js";
import { Approvals } from "../pages/approvals.page.js";
import { Fleet } from "../pages/fleet.page.js";
import { RunDetail } from "../pages/run-detail.page.js";
import { RunsList } from "../pages/runs-list.page.js";
import { SignIn } from "../pages/sign-in.page.js";
import { VerifyBundle } from "../pages/verify-bundle.page.js";

const NAV: { label: string; route: Route; matches: Route["page"][] }[] = [
  { label: "Runs", route: { page: "runs", filters: NO_FILTERS }, matches: ["runs", "run"] },
  { label: "Approvals", route: { page: "approvals" }, matches: ["approvals"] },
  { label: "Fleet", route: { page: "fleet" }, matches: ["fleet"] },
  { label: "Verify a bundle", route: { page: "verify" }, matches: ["verify"] },
];

function CurrentPage() {
  const { route } = useNavigation();
  switch (route.page) {
    case "runs":
      return <RunsList key={hrefOf(route)} filters={route.filters} />;
    case "run":
      return <RunDetail key={route.runId} runId={route.runId} />;
    case "approvals":
      return <Approvals />;
    case "fleet":
      return <Fleet />;
    case "verify":
      return <VerifyBundle />;
    case "not-found":
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link href={`${BASE}/runs`}>Go to the runs</Link>.
          </p>
        </>
      );
  }
}

function Shell() {
  const { route } = useNavigation();
  const [token, setToken] = useState<string | null>(() => loadToken());
  const [notice, setNotice] = useState<Problem | null>(null);

  const signOut = useCallback((problem?: Problem) => {
    clearToken();
    setToken(null);
    setNotice(problem ?? null);
  }, []);

  const session = useMemo<Session | null>(
    () => (token ? { keyId: keyIdOf(token), api: createApi(token, (problem) => signOut(problem)), signOut: () => signOut() } : null),
    [token, signOut],
  );

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(t) => {
          saveToken(t);
          setNotice(null);
          setToken(t);
        }}
      />
    );
  }

  return (
    <SessionContext.Provider value={session}>
      <header className="site-header">
        <div className="brand">
          <span aria-hidden="true">◆</span> clawea <span className="muted">audit</span>
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.label}>
                <Link href={hrefOf(item.route)} aria-current={item.matches.includes(route.page) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span className="muted small">
            Signed in with <code>{session.keyId}</code>
          </span>
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <CurrentPage />
      </main>
    </SessionContext.Provider>
  );
}

export function App() {
  return (
    <AnnouncerProvider>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <NavigationProvider>
        <Shell />
      </NavigationProvider>
    </AnnouncerProvider>
  );
}
