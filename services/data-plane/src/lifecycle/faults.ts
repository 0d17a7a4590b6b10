/** How the data plane names and sorts faults: reason codes it records on agents, retryable or not. */
import { SandboxError } from "../sandbox/sandbox.provider.js";

/** Reason codes the data plane records on an agent besides the provider's own `SandboxError` codes. */
export const DATA_PLANE_REASON_CODES = ["SANDBOX_ID_MISSING", "SANDBOX_RESTART_FAILED", "DATA_PLANE_INTERNAL"] as const;
export type ReasonCode = SandboxError["code"] | (typeof DATA_PLANE_REASON_CODES)[number];

/** A fault that no retry can fix, raised inside a handler before touching the provider. */
export class PermanentFault extends Error {
  override readonly name = "PermanentFault";
  constructor(
    readonly code: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}

export function classify(error: unknown): { code: ReasonCode; retryable: boolean } {
  if (error instanceof SandboxError) return { code: error.code, retryable: error.retryable };
  if (error instanceof PermanentFault) return { code: error.code, retryable: false };
  return { code: "DATA_PLANE_INTERNAL", retryable: true };
}
