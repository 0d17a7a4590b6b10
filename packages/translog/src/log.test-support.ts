// Test-only: a transparency log on a fresh database, the in-memory reference tree, and the checks every proof must pass.
import { createDatabase, type Database } from "@clawea/db";
import { MerkleTree, ReasonError, b64uDecode, keyPairFromSeed, sha256, type KeyPair } from "@clawea/protocol";
import { validate } from "@clawea/schema";
import { createTestDatabase, validateUpstream, type TestDatabase } from "@clawea/testkit";
import { verifyLogInclusionProof } from "@clawea/verify";
import { createTransparencyLog, type TransparencyLog, type TransparencyLogOptions } from "./index.js";

export const signer: KeyPair = keyPairFromSeed(sha256("translog test log key"));

export interface LogFixture {
  testDb: TestDatabase;
  database: Database;
  log: TransparencyLog;
  clock: { now: Date };
  /** Another log over its own pool on the same database: a second process. */
  open(options?: Partial<TransparencyLogOptions>): { database: Database; log: TransparencyLog };
  /** The leaf hashes in index order, as stored. */
  leaves(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startLog(options: Partial<TransparencyLogOptions> = {}): Promise<LogFixture> {
  const testDb = await createTestDatabase();
  const clock = { now: new Date("2026-11-25T10:00:00.000Z") };
  const opened: Database[] = [];
  const open = (extra: Partial<TransparencyLogOptions> = {}) => {
    const database = createDatabase(testDb.url, { max: 4 });
    opened.push(database);
    return { database, log: createTransparencyLog({ db: database.db, signer, now: () => clock.now, ...options, ...extra }) };
  };
  const { database, log } = open();
  return {
    testDb,
    database,
    log,
    clock,
    open,
    async leaves() {
      const result = await database.pool.query<{ leaf_hash_b64u: string }>("select leaf_hash_b64u from log_leaves order by leaf_index");
      return result.rows.map((row) => row.leaf_hash_b64u);
    },
    async close() {
      await Promise.all(opened.map((db) => db.close()));
      await testDb.drop();
    },
  };
}

export function leafHash(label: string): string {
  return Buffer.from(sha256(label)).toString("base64url");
}

export function entries(labels: readonly string[], tenant = "ten_test"): { leaf_hash_b64u: string; tenant_id: string; kind: string; ref: string }[] {
  return labels.map((label) => ({ leaf_hash_b64u: leafHash(label), tenant_id: tenant, kind: "execution_attestation", ref: `run_${label}` }));
}

export function referenceTree(leaves: readonly string[]): MerkleTree {
  return MerkleTree.fromLeaves(leaves.map(b64uDecode));
}

export const trust = { allowed_signer_dids: [signer.did], roles: { log: [signer.did] } };

/** Our schema, the upstream JSON Schema and the offline verifier, each with its reason. */
export function proofChecks(proof: unknown, now: Date): { ours: boolean; upstream: string[]; verify: string[] } {
  return {
    ours: validate("log_inclusion_proof", proof).ok,
    upstream: validateUpstream("poh/log_inclusion_proof.v1.json", proof).errors,
    verify: verifyLogInclusionProof(proof, { trust, now: now.toISOString() }).reason_codes,
  };
}

/** `"<reason code>"` of a rejected promise, or "ok". */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReasonError) return error.code;
    throw error;
  }
  return "ok";
}
