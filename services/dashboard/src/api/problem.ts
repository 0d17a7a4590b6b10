/** What went wrong with a call, as the UI shows it: the HTTP status and the platform's reason code. */
import { ClaweaApiError } from "@clawea/sdk";

export interface Problem {
  /** Who said no: the control plane (with a status and reason code), the network, or this page itself. */
  origin: "server" | "network" | "browser";
  /** 0 unless the control plane answered. */
  status: number;
  /** The platform's reason code (`API_KEY_INVALID`, `ROLE_NOT_PERMITTED`, …); null when there was no answer. */
  reasonCode: string | null;
  detail: string;
  requestId: string | null;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof ClaweaApiError) {
    const detail = typeof error.problem.detail === "string" ? error.problem.detail : typeof error.problem.title === "string" ? error.problem.title : "";
    return { origin: "server", status: error.status, reasonCode: error.reasonCode, detail, requestId: error.requestId };
  }
  // fetch rejects with a TypeError when no answer came back at all.
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return { origin: "network", status: 0, reasonCode: null, detail: error.message, requestId: null };
  return { origin: "browser", status: 0, reasonCode: null, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error), requestId: null };
}

/** A sentence for the status: who may do what, in words, around the code. */
export function problemSummary(problem: Problem): string {
  if (problem.status === 401) return "Not signed in: the API key was refused.";
  if (problem.status === 403) return "This API key's roles do not allow this.";
  if (problem.status === 404) return "Not found (or not in this key's tenant).";
  if (problem.origin === "network") return "No answer from the control plane.";
  if (problem.origin === "browser") return "Something failed in this page.";
  return `The request failed (HTTP ${problem.status}).`;
}

/** Reads a problem+json answer that did not go through openapi-fetch (downloads). */
export async function problemFromResponse(response: Response): Promise<ClaweaApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON: the status alone speaks
  }
  return new ClaweaApiError(response.status, typeof body.reason_code === "string" ? body.reason_code : "UNKNOWN", response.headers.get("x-request-id"), body);
}
