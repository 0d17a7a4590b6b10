/** Reads a JSON input file; anything unreadable is exit status 2, never a stack trace. */
import { UsageError, type CliIo } from "./io.js";

export async function readJson(io: CliIo, path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "read failed";
    throw new UsageError("INPUT_UNREADABLE", `cannot read ${path}: ${reason}`);
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new UsageError("INPUT_UNREADABLE", `${path} is not UTF-8 JSON`);
  }
}
