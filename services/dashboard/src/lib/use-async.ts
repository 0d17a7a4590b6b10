/** Loading data for a view: the last good value stays on screen while a reload (or a poll) runs. */
import { useCallback, useEffect, useState } from "react";
import { problemOf, type Problem } from "../api/problem.js";

export interface AsyncState<T> {
  data: T | undefined;
  problem: Problem | undefined;
  /** True until the load for the current inputs has answered. */
  loading: boolean;
  reload: () => void;
}

/** `deps` are plain values (strings, numbers, JSON-able objects): a change of any of them loads again. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const key = `${generation}:${JSON.stringify(deps)}`;
  const [settled, setSettled] = useState<{ key: string | null; data: T | undefined; problem: Problem | undefined }>({ key: null, data: undefined, problem: undefined });

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ key, data, problem: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setSettled((s) => ({ key, data: s.data, problem: problemOf(error) }));
      },
    );
    return () => controller.abort();
    // `key` stands for the caller's deps; `load` is a new closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  return { data: settled.data, problem: settled.problem, loading: settled.key !== key, reload };
}
