/** @clawea/cli as a library: run the CLI with injected I/O (what the tests and the demo use). */
export { runCli, USAGE } from "./cli.js";
export { EXIT, UsageError, type CliIo, type ExitStatus } from "./io.js";
export { parseTrustDocument, mergeTrust } from "./trust-file.js";
