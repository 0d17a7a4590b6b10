/** @clawea/runs: what every plane does to a run (event chain, state, artifacts). */
export { appendRunEvent, readRunEvents, type AppendEventInput, type AppendedEvent } from "./run-chain.js";
