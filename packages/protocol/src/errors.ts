/** The one exception type the protocol core throws: a reason code plus context, never free text alone. */
import type { ReasonCode } from "./reason-codes.js";

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  constructor(
    readonly code: ReasonCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
