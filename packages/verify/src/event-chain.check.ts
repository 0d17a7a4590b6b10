/** A proof bundle's event chain: unique ids, linkage, one run, and every event hash recomputed. */
import { verifyEventChain, type ChainEvent } from "@clawea/protocol";
import { finding, joinPath, type Finding } from "./result.model.js";

/** What receipts are bound against: the run and the event hashes of a chain that verified. */
export interface ChainAnchor {
  runId: string;
  eventHashes: ReadonlySet<string>;
  lastEventHash: string;
}

/**
 * `anchor` is null when the chain failed: binding receipts to a broken chain proves nothing, and the
 * chain's own finding already makes the bundle invalid.
 */
export function checkEventChain(events: readonly ChainEvent[], path: string): { findings: Finding[]; anchor: ChainAnchor | null } {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  events.forEach((event, i) => {
    // Upstream rejects a repeated event_id as a malformed bundle.
    if (seen.has(event.event_id)) {
      findings.push(finding("MALFORMED_ENVELOPE", joinPath(path, `[${i}].event_id`), "event_id repeats an earlier event"));
    }
    seen.add(event.event_id);
  });
  const linkage = verifyEventChain(events);
  if (!linkage.ok) findings.push(finding(linkage.code, joinPath(path, `[${linkage.index}]`), linkage.message));
  const first = events[0];
  const last = events[events.length - 1];
  if (findings.length > 0 || first === undefined || last === undefined) return { findings, anchor: null };
  return {
    findings,
    anchor: { runId: first.run_id, eventHashes: new Set(events.map((e) => e.event_hash_b64u)), lastEventHash: last.event_hash_b64u },
  };
}
