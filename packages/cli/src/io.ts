/** The CLI's view of the outside world, injected so commands are tested without spawning a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string, mode: number): Promise<void>;
  /** RFC 3339 current time; verification judges expiry against it unless `--at` says otherwise. */
  now(): string;
  env(name: string): string | undefined;
}

/** Exit statuses the issue fixes: CI steps branch on them. */
export const EXIT = { VALID: 0, INVALID: 1, UNREADABLE: 2 } as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** A failure to read input or arguments: exit status 2, with a reason code for scripts. */
export class UsageError extends Error {
  constructor(
    readonly code: "USAGE" | "INPUT_UNREADABLE" | "TRUST_FILE_INVALID",
    message: string,
  ) {
    super(message);
  }
}
