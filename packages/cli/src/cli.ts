/** Dispatches `clawea <command>` and turns every failure into an exit status and one clear line. */
import { EXIT, UsageError, type CliIo, type ExitStatus } from "./io.js";
import { agentsCommand, AGENTS_USAGE, fleetCommand } from "./commands/agents.command.js";
import { keygenCommand, KEYGEN_USAGE } from "./commands/keygen.command.js";
import { preflightCommand, PREFLIGHT_USAGE } from "./commands/preflight.command.js";
import { verifyCommand, VERIFY_USAGE } from "./commands/verify.command.js";

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => Promise<ExitStatus>> = {
  verify: verifyCommand,
  preflight: preflightCommand,
  keygen: keygenCommand,
  agents: agentsCommand,
  fleet: fleetCommand,
};

export const USAGE = `clawea — the clawea command line

${VERIFY_USAGE}

${PREFLIGHT_USAGE}

${KEYGEN_USAGE}

${AGENTS_USAGE}`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitStatus> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout(`${USAGE}\n`);
    return name === undefined ? EXIT.UNREADABLE : EXIT.VALID;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`clawea: unknown command ${name}\n\n${USAGE}\n`);
    return EXIT.UNREADABLE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`clawea ${name}: ${error.code}: ${error.message}\n`);
      return EXIT.UNREADABLE;
    }
    // parseArgs reports unknown flags this way.
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`clawea ${name}: USAGE: ${error.message}\n`);
      return EXIT.UNREADABLE;
    }
    throw error;
  }
}
