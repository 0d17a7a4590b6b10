/**
 * The BullMQ key prefix (`QUEUE_PREFIX`): platforms sharing one Redis keep their queues apart with it.
 * Read the same way by every plane, so a control plane and its data planes always meet on the same keys.
 */
export const DEFAULT_QUEUE_PREFIX = "bull";

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;

/** The prefix `raw` names, or the default; null when `raw` is not a usable prefix. */
export function queuePrefixOf(raw: string | undefined): string | null {
  const prefix = raw || DEFAULT_QUEUE_PREFIX;
  return PREFIX.test(prefix) ? prefix : null;
}
