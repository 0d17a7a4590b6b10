/** The transparency log's read side for API callers: the signed head and proofs, over `@clawea/translog`. */
import type { Db } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import { createTransparencyLog } from "@clawea/translog";
import { ApiError } from "../../http/problem.js";

export interface LogDeps {
  db: Db;
  /** The log's key; without it the log cannot sign, so its routes answer DEPENDENCY_NOT_CONFIGURED. */
  logSigner: KeyPair | null;
  now: () => Date;
}

/** The `leaf` parameter: decimal digits are an index, anything else a leaf hash. */
function leafOf(leaf: string): string | number {
  return /^[0-9]+$/.test(leaf) ? Number(leaf) : leaf;
}

export function createLogService({ db, logSigner, now }: LogDeps) {
  const log = logSigner ? createTransparencyLog({ db, signer: logSigner, now }) : null;

  function configured() {
    if (!log) throw new ApiError("DEPENDENCY_NOT_CONFIGURED", "the transparency log has no signing key (CLAWEA_LOG_SIGNING_KEY)");
    return log;
  }

  return {
    async root() {
      const current = configured();
      return { ...(await current.signedTreeHead()), log_did: current.did };
    },

    inclusionProof(query: { leaf: string; tree_size?: number }) {
      return configured().inclusionProof(leafOf(query.leaf), query.tree_size);
    },

    consistencyProof(query: { from: number; to: number }) {
      return configured().consistencyProof(query.from, query.to);
    },
  };
}
