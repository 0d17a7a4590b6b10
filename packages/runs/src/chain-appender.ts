/**
 * A batching appender for a plane that appends often to runs it does not own the order of (the
 * gateway: one `llm_call` event per model call). Events that arrive together are written together
 * (group commit), with a few writes of distinct runs in flight at once. Each run's last known head is
 * kept, so the usual write is one conditional statement (`appendRunEventsAfter`) instead of a
 * transaction of five round trips holding the run's lock; a run whose head moved (another plane
 * appended) is re-read and tried again, and after a few lost races it is appended under the run's
 * lock, which always makes progress. An event that need not be written at once (a stream's, whose
 * answer runs on for a while) may linger for company: it rides with the next write, or is written when
 * its wait ends or its caller hurries it.
 */
import { performance } from "node:perf_hooks";
import type { Db } from "@clawea/db";
import { appendRunEvents, appendRunEventsAfter, readChainHeads, type AppendedEvent, type AppendEventInput, type AppendOptions, type ChainHead } from "./run-chain.js";

const MAX_BATCH = 500;
/**
 * Writes of distinct runs in flight at once. One at a time, an event waited on average one and a half
 * writes (the one in flight, then its own); a few in parallel also let PostgreSQL flush their commits
 * together.
 */
const MAX_WRITES_IN_FLIGHT = 4;
const OPTIMISTIC_ATTEMPTS = 3;
const MAX_KNOWN_HEADS = 50_000;

export interface AppendTiming {
  /**
   * How long the event may wait for others to share its statement (default 0: it is written on the
   * next turn, with whatever arrived meanwhile). Any write the appender makes before then takes it
   * along, so a wait ends early whenever there is company.
   */
  lingerMs?: number;
  /** Ends the wait: once it settles, the event is written at once. */
  hurry?: Promise<unknown>;
}

export interface ChainAppender {
  /** Appends the event; null when the tenant has no such run (nothing is written). */
  append(input: AppendEventInput, timing?: AppendTiming): Promise<AppendedEvent | null>;
}

interface Pending {
  input: AppendEventInput;
  /** performance.now() from which the event may be written (0: at once). */
  dueAt: number;
  resolve: (event: AppendedEvent | null) => void;
  reject: (error: unknown) => void;
}

interface RunGroup {
  key: string;
  tenantId: string;
  runId: string;
  items: Pending[];
  /**
   * Where this batch believes the run's chain ends; undefined until read. Kept here, not only in the
   * shared cache, which another batch may clear meanwhile.
   */
  head: ChainHead | undefined;
  /** Every item answered (appended, or null for a run the tenant does not have). */
  done: boolean;
}

const keyOf = (tenantId: string, runId: string) => `${tenantId}\u0000${runId}`;

/**
 * `options.synchronousCommit: false` applies to the usual conditional append (see `AppendOptions`); the
 * rare append under the run's lock, after lost races, keeps the server's setting.
 */
export function createChainAppender(db: Db, options: AppendOptions = {}): ChainAppender {
  const queue: Pending[] = [];
  const known = new Map<string, ChainHead>();
  /** Runs with a write in flight. */
  const writing = new Set<string>();
  let inFlight = 0;
  let scheduled = false;
  let lingerTimer: NodeJS.Timeout | null = null;
  let lingerUntil = Number.POSITIVE_INFINITY;

  function remember(key: string, head: ChainHead): void {
    if (known.size >= MAX_KNOWN_HEADS && !known.has(key)) known.clear();
    known.set(key, head);
  }

  /** Optimistic rounds: read heads not known, write after them; what is left lost every race. */
  async function optimistic(groups: RunGroup[]): Promise<RunGroup[]> {
    let open = groups;
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && open.length > 0; attempt++) {
      const unknown = open.filter((g) => g.head === undefined);
      if (unknown.length > 0) {
        const heads = await readChainHeads(db, unknown);
        for (const g of unknown) {
          g.head = heads.get(g.key);
          if (g.head) remember(g.key, g.head);
          else {
            g.done = true;
            for (const item of g.items) item.resolve(null);
          }
        }
        open = open.filter((g) => !g.done);
      }
      if (open.length === 0) break;
      const results = await appendRunEventsAfter(
        db,
        open.map((g) => ({ tenantId: g.tenantId, runId: g.runId, expected: g.head!, inputs: g.items.map((item) => item.input) })),
        options,
      );
      const lost: RunGroup[] = [];
      results.forEach((result, i) => {
        const g = open[i]!;
        if (result.ok) {
          remember(g.key, result.head);
          g.done = true;
          g.items.forEach((item, k) => item.resolve(result.events[k]!));
        } else {
          known.delete(g.key);
          g.head = undefined;
          lost.push(g);
        }
      });
      open = lost;
    }
    return open;
  }

  async function settle(batch: Pending[]): Promise<void> {
    const groups = new Map<string, RunGroup>();
    for (const item of batch) {
      const key = keyOf(item.input.tenantId, item.input.runId);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { key, tenantId: item.input.tenantId, runId: item.input.runId, items: [], head: known.get(key), done: false }));
      group.items.push(item);
    }
    try {
      const open = await optimistic([...groups.values()]);
      if (open.length === 0) return;
      const items = open.flatMap((g) => g.items);
      const events = await db.transaction((tx) => appendRunEvents(tx, items.map((item) => item.input)));
      items.forEach((item, i) => item.resolve(events[i] ?? null));
      for (const g of open) g.done = true;
    } catch (error) {
      const open = [...groups.values()].filter((g) => !g.done);
      for (const g of open) known.delete(g.key);
      const unsettled = open.flatMap((g) => g.items);
      // One event PostgreSQL refuses must not fail the others: alone, each fails only itself.
      if (unsettled.length === 1) return unsettled[0]!.reject(error);
      for (const item of unsettled) await settle([item]);
    }
  }

  /**
   * Takes what may be written now: every queued event of each run that has no write in flight, in
   * queue order, up to MAX_BATCH. A run's later events wait for its write in flight, so each run's
   * events reach the chain in the order they were appended, and two writes of this appender never race
   * for one run's head.
   */
  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const held = new Set<string>();
    for (const item of queue) {
      const key = keyOf(item.input.tenantId, item.input.runId);
      if (batch.length >= MAX_BATCH || writing.has(key) || held.has(key)) {
        // Once one of a run's events stays queued, the rest of that run's stay behind it.
        held.add(key);
        rest.push(item);
      } else batch.push(item);
    }
    queue.length = 0;
    queue.push(...rest);
    return batch;
  }

  function pump(): void {
    while (inFlight < MAX_WRITES_IN_FLIGHT && queue.length > 0) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      const keys = new Set(batch.map((item) => keyOf(item.input.tenantId, item.input.runId)));
      for (const key of keys) writing.add(key);
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        for (const key of keys) writing.delete(key);
        schedule();
      });
    }
  }

  /**
   * A write on the next turn when an event is due (events arriving together share it); otherwise a
   * timer for the first one due. Every write takes all that is queued, due or not.
   */
  function schedule(): void {
    // A write already coming takes everything queued.
    if (scheduled || queue.length === 0) return;
    let due = Number.POSITIVE_INFINITY;
    for (const item of queue) due = Math.min(due, item.dueAt);
    const now = performance.now();
    if (due <= now) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
      return;
    }
    if (lingerTimer && lingerUntil <= due) return;
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerUntil = due;
    lingerTimer = setTimeout(() => {
      lingerTimer = null;
      lingerUntil = Number.POSITIVE_INFINITY;
      schedule();
    }, due - now);
  }

  return {
    append(input, timing = {}) {
      return new Promise((resolve, reject) => {
        const item: Pending = { input, dueAt: timing.lingerMs ? performance.now() + timing.lingerMs : 0, resolve, reject };
        queue.push(item);
        schedule();
        timing.hurry?.then(
          () => {
            item.dueAt = 0;
            schedule();
          },
          () => undefined,
        );
      });
    },
  };
}
