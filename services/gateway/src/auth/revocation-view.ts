/**
 * Whether a CST is revoked, as this replica may answer it without a Redis round trip: a token found not
 * revoked stays so for as long as the push channel stays live in the epoch it was read in (every
 * revocation after that read arrives as a message), and a token found or heard revoked stays revoked
 * (revocations are permanent). Anything else is read from Redis, and an unreachable Redis still fails
 * closed there. A revocation reaches this replica when its message does: on a healthy link within a
 * millisecond of the control plane's write; a link that breaks silently is noticed within two heartbeats.
 */
import { isRevoked, REVOCATION_CHANNEL, type RevocationDeps } from "@clawea/runs";
import type { RedisPush } from "../push/redis-push.js";

/** Past this many tokens of either kind, both are forgotten and read again (memory stays bounded). */
const MAX_KNOWN = 100_000;

export interface RevocationView {
  /** A boolean when answered here, a promise when Redis is asked. */
  isRevoked(jti: string): boolean | Promise<boolean>;
}

/** Without `push`, every question is read from Redis (`isRevoked`: reloaded from PostgreSQL if Redis lost them). */
export function createRevocationView(deps: RevocationDeps, push?: RedisPush | undefined): RevocationView {
  const revoked = new Set<string>();
  /** jti → the push epoch in which Redis said it was not revoked. */
  const cleared = new Map<string, number>();
  push?.on(REVOCATION_CHANNEL, (jti) => {
    cleared.delete(jti);
    remember(jti, true, null);
  });

  function remember(jti: string, isRevokedNow: boolean, epoch: number | null): void {
    if (revoked.size >= MAX_KNOWN || cleared.size >= MAX_KNOWN) {
      revoked.clear();
      cleared.clear();
    }
    if (isRevokedNow) revoked.add(jti);
    // A message heard meanwhile wins over this (older) read.
    else if (epoch !== null && !revoked.has(jti)) cleared.set(jti, epoch);
  }

  return {
    isRevoked(jti) {
      if (revoked.has(jti)) return true;
      if (push?.live && cleared.get(jti) === push.epoch) return false;
      // Only a read issued while live, and answered in the same epoch, may be kept as "not revoked".
      const epoch = push?.live ? push.epoch : null;
      return isRevoked(deps, jti).then((answer) => {
        remember(jti, answer, epoch !== null && push!.live && push!.epoch === epoch ? epoch : null);
        return answer;
      });
    },
  };
}
