/** @clawea/runs: what every plane does to a run (event chain, state, artifacts). */
export { appendRunEvent, appendRunEvents, appendRunEventsAfter, readChainHeads, readRunEvents, RunNotFoundError, type AppendEventInput, type AppendedEvent, type AppendOptions, type ChainHead, type ConditionalAppend } from "./run-chain.js";
export { canMove, isTerminal, moveRun, type MoveRunInput, type RunRow } from "./run-state.js";
export { artifactStore, fsBlobs, type ArtifactBlobs, type ArtifactStore, type StoredArtifact } from "./artifact-store.js";
export { s3Blobs, type S3Blobs, type S3BlobsOptions } from "./s3-blobs.js";
export { isRevoked, REVOCATION_CHANNEL, revokeCst, warmRevocations, type RevocationDeps } from "./revocation.js";
export { ArtifactConfigError, artifactBlobsFor, artifactStoreConfig, type ArtifactStoreConfig } from "./artifact-config.js";
export { createChainAppender, type AppendTiming, type ChainAppender } from "./chain-appender.js";
