/** @clawea/translog: the platform's append-only Merkle transparency log in PostgreSQL. */
export {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_LEAVES,
  DEFAULT_MAX_PENDING,
  PUSHBACK_RETRY_AFTER_SECONDS,
  createTransparencyLog,
  type AppendedLeaf,
  type LogConsistencyProof,
  type LogEntry,
  type LogRoot,
  type SignedTreeHead,
  type TransparencyLog,
  type TransparencyLogOptions,
} from "./transparency-log.js";
export { EMPTY_ROOT_B64U } from "./log-layout.js";
