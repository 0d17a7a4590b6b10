/** Line-buffered prefixing of a child's output: whole lines only, a partial line waits for its end (or flush). */

export interface LinePrefixer {
  push(chunk: string): void;
  /** Writes a pending partial line (e.g. when the stream ends). */
  flush(): void;
}

export function createLinePrefixer(prefix: string, write: (text: string) => void): LinePrefixer {
  let pending = "";
  return {
    push(chunk) {
      pending += chunk;
      const end = pending.lastIndexOf("\n");
      if (end === -1) return;
      const complete = pending.slice(0, end);
      pending = pending.slice(end + 1);
      write(complete.split("\n").map((line) => `${prefix} ${line.replace(/\r$/, "")}\n`).join(""));
    },
    flush() {
      if (pending === "") return;
      write(`${prefix} ${pending}\n`);
      pending = "";
    },
  };
}
