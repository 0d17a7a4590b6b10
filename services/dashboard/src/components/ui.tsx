/** Small shared pieces: page headings that take focus, status and problem messages, badges, hashes, JSON. */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { problemSummary, type Problem } from "../api/problem.js";
import { hasPrevious, nextPage, pageNumber, previousPage, type CursorStack } from "../lib/cursor-stack.js";
import { humanize, shortHash } from "../lib/format.js";

/** The page's h1; it takes focus when the page opens, so keyboard and screen-reader users start there. */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

const AnnounceContext = createContext<(message: string) => void>(() => undefined);

/** One polite live region for the whole app: "3 runs shown", "Approved once", … */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  const announce = useCallback((text: string) => {
    // Clearing first makes a repeated message be read again.
    setMessage("");
    window.setTimeout(() => setMessage(text), 50);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ProblemAlert({ problem, what }: { problem: Problem; what: string }) {
  return (
    <div className="problem" role="alert">
      <p>
        <strong>{what} failed.</strong> {problemSummary(problem)}
      </p>
      {problem.reasonCode ? (
        <p>
          Reason code: <code className="reason-code">{problem.reasonCode}</code>
          {problem.detail ? <> — {problem.detail}</> : null}
        </p>
      ) : (
        <p>{problem.detail}</p>
      )}
      {problem.requestId ? <p className="muted small">Request id {problem.requestId}</p> : null}
    </div>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state}`}>{humanize(state)}</span>;
}

/** A hash or id: shortened in tables (full value on hover and for screen readers), in full elsewhere. */
export function Hash({ value, full = false }: { value: string | null | undefined; full?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  if (full) return <code className="hash">{value}</code>;
  return (
    <code className="hash-short" title={value} aria-label={value}>
      {shortHash(value)}
    </code>
  );
}

export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function ReasonCodes({ codes }: { codes: readonly string[] }) {
  if (codes.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="inline-list">
      {codes.map((code) => (
        <li key={code}>
          <code className="reason-code">{code}</code>
        </li>
      ))}
    </ul>
  );
}

/** Previous/next over a cursor API: the cursors that led to this page, and the page's `next_cursor`. */
export function CursorPager({ label, stack, nextCursor, onChange }: { label: string; stack: CursorStack; nextCursor: string | null; onChange: (stack: CursorStack) => void }) {
  return (
    <Pager
      label={label}
      page={pageNumber(stack)}
      hasPrevious={hasPrevious(stack)}
      hasNext={nextCursor !== null}
      onPrevious={() => onChange(previousPage(stack))}
      onNext={() => nextCursor !== null && onChange(nextPage(stack, nextCursor))}
    />
  );
}

export function Pager({ page, hasPrevious, hasNext, onPrevious, onNext, label }: { page: number; hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; label: string }) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>
        ← Previous
      </button>
      <span aria-current="page">Page {page}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next →
      </button>
    </nav>
  );
}
