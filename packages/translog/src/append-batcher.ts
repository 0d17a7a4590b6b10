/**
 * Group commit for appends: while one transaction holds the log, the calls that arrive queue up and go
 * into the next transaction together, so a process keeps one connection on the log's lock however many
 * callers it has. The queue is bounded: past `maxPending` waiting calls, a call is refused at once
 * (tessera's pushback) rather than adding to a backlog that only grows.
 */

export interface Batcher<I, O> {
  /** Resolves with one output per input, in order. */
  submit(items: readonly I[]): Promise<O[]>;
  /** Calls waiting for a transaction (not counting the one in flight). */
  readonly pending: number;
}

export interface BatcherOptions<I, O> {
  /** Runs one transaction over the concatenated items of several calls; returns one output per item. */
  run(items: I[]): Promise<O[]>;
  maxPending: number;
  /** A transaction takes queued calls while their items fit; a single larger call still runs alone. */
  maxBatchItems: number;
  /** The error for a refused call. */
  pushback(): Error;
}

interface Waiting<I, O> {
  items: readonly I[];
  resolve(outputs: O[]): void;
  reject(error: unknown): void;
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): Batcher<I, O> {
  const queue: Waiting<I, O>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch: Waiting<I, O>[] = [queue.shift()!];
      let size = batch[0]!.items.length;
      while (queue.length > 0 && size + queue[0]!.items.length <= options.maxBatchItems) {
        const next = queue.shift()!;
        size += next.items.length;
        batch.push(next);
      }
      try {
        const outputs = await options.run(batch.flatMap((call) => call.items));
        let offset = 0;
        for (const call of batch) {
          call.resolve(outputs.slice(offset, offset + call.items.length));
          offset += call.items.length;
        }
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
    running = false;
  }

  return {
    get pending() {
      return queue.length;
    },
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      if (running && queue.length >= options.maxPending) return Promise.reject(options.pushback());
      return new Promise<O[]>((resolve, reject) => {
        queue.push({ items, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}
