// Test-only access to the upstream Clawsig schemas and vectors in ../shared/clawsig (never copied into the repo).
export { clawsigDir, type ClawsigDirOptions } from "./clawsig-dir.js";
export {
  loadTrustConfig,
  loadVectorManifest,
  readVector,
  VECTOR_KINDS,
  type TrustConfig,
  type VectorEntry,
  type VectorKind,
  type VectorManifest,
} from "./vectors.js";
export {
  upstreamAjv,
  validateUpstream,
  type UpstreamDraft,
  type UpstreamResult,
  type UpstreamSchema,
  type UpstreamSchemas,
} from "./upstream-schemas.js";
export { createTestDatabase, type TestDatabase } from "./test-database.js";
