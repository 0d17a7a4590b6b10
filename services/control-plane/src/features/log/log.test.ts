import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  b64uDecode,
  keyPairFromSeed,
  publicKeyFromDid,
  sha256,
  sha256B64u,
  utf8,
  verifyBytes,
  verifyConsistencyProof,
  verifyInclusionProof,
} from "@clawea/protocol";
import { validate } from "@clawea/schema";
import { createTransparencyLog, type TransparencyLog } from "@clawea/translog";
import { raw, startTestPlatform, type TestPlatform } from "../../app.test-support.js";

const logSigner = keyPairFromSeed(sha256("control-plane log test key"));
let platform: TestPlatform;
let writer: TransparencyLog;
let tokens: Record<string, string>;
const clock = new Date("2026-11-25T10:00:00.000Z");

beforeAll(async () => {
  platform = await startTestPlatform({ now: () => clock, logSigner });
  // The data plane appends; here the test does, through the same package, on the same database.
  writer = createTransparencyLog({ db: platform.database.db, signer: logSigner, now: () => clock });
  const acme = await platform.tenant("acme");
  const other = await platform.tenant("other");
  tokens = { admin: acme.adminToken, other: other.adminToken };
  for (const role of ["auditor", "finance", "developer"]) {
    const created = await raw(platform.url, "POST", "/v1/api-keys", { token: acme.adminToken, body: JSON.stringify({ name: role, roles: [role] }) });
    tokens[role] = created.body!["token"] as string;
  }
  await writer.append(
    Array.from({ length: 11 }, (_, i) => ({ leaf_hash_b64u: sha256B64u(`attestation ${i}`), tenant_id: acme.id, kind: "execution_attestation", ref: `run_secret_${i}` })),
  );
});
afterAll(() => platform.close());

const get = (path: string, token?: string) => raw(platform.url, "GET", path, token ? { token } : {});

function checkProof(proof: Record<string, unknown>): boolean {
  const p = proof as { leaf_hash_b64u: string; root_hash_b64u: string; tree_size: number; audit_path: string[]; metadata: { leaf_index: number }; root_signature: { signer_did: string; sig_b64u: string } };
  return (
    validate("log_inclusion_proof", proof).ok &&
    p.root_signature.signer_did === logSigner.did &&
    verifyBytes(publicKeyFromDid(p.root_signature.signer_did), utf8(p.root_hash_b64u), b64uDecode(p.root_signature.sig_b64u)) &&
    verifyInclusionProof({
      leafHash: b64uDecode(p.leaf_hash_b64u),
      index: p.metadata.leaf_index,
      treeSize: p.tree_size,
      auditPath: p.audit_path.map(b64uDecode),
      rootHash: b64uDecode(p.root_hash_b64u),
    })
  );
}

describe("GET /v1/log/root", () => {
  it("answers the signed tree head and the log's DID to any role", async () => {
    for (const role of ["admin", "auditor", "finance", "developer", "other"]) {
      const { status, body } = await get("/v1/log/root", tokens[role]);
      expect(status, role).toBe(200);
      expect(body).toMatchObject({ log_did: logSigner.did, log_id: logSigner.did, tree_size: 11, published_at: clock.toISOString() });
    }
    const head = (await get("/v1/log/root", tokens["auditor"])).body as { root_hash_b64u: string; root_signature: { signer_did: string; sig_b64u: string } };
    expect(head.root_hash_b64u).toBe((await writer.root()).root_hash_b64u);
    expect(verifyBytes(publicKeyFromDid(head.root_signature.signer_did), utf8(head.root_hash_b64u), b64uDecode(head.root_signature.sig_b64u))).toBe(true);
  });

  it("needs a tenant key", async () => {
    expect((await get("/v1/log/root")).body).toMatchObject({ status: 401, reason_code: "AUTH_REQUIRED" });
    expect((await get("/v1/log/root", "key_0123.nope")).body).toMatchObject({ status: 401, reason_code: "API_KEY_INVALID" });
    expect((await get("/v1/log/root", platform.bootstrapKey)).body).toMatchObject({ status: 401, reason_code: "API_KEY_INVALID" });
  });
});

describe("GET /v1/log/proof/inclusion", () => {
  it("proves a leaf by hash or index, to any tenant, naming no tenant", async () => {
    const leaf = sha256B64u("attestation 6");
    const byHash = await get(`/v1/log/proof/inclusion?leaf=${leaf}`, tokens["other"]);
    expect(byHash.status).toBe(200);
    expect(byHash.headers.get("content-type")).toContain("application/json");
    expect(byHash.body).toMatchObject({ proof_version: "1", leaf_hash_b64u: leaf, tree_size: 11, metadata: { leaf_index: 6 } });
    expect(checkProof(byHash.body!)).toBe(true);
    const text = JSON.stringify(byHash.body);
    expect(text).not.toContain("ten_");
    expect(text).not.toContain("run_secret");

    const byIndex = await get("/v1/log/proof/inclusion?leaf=6", tokens["developer"]);
    expect(byIndex.body).toEqual(byHash.body);
    const older = await get("/v1/log/proof/inclusion?leaf=6&tree_size=7", tokens["finance"]);
    expect(older.body).toMatchObject({ tree_size: 7, metadata: { leaf_index: 6 } });
    expect(checkProof(older.body!)).toBe(true);
  });

  it("answers 404 for a leaf the log does not hold, 400 for malformed parameters", async () => {
    const expectCode = async (query: string, status: number, code: string) => {
      const { body } = await get(`/v1/log/proof/inclusion${query}`, tokens["auditor"]);
      expect(body, query).toMatchObject({ status, reason_code: code });
    };
    await expectCode(`?leaf=${sha256B64u("never logged")}`, 404, "LOG_LEAF_NOT_FOUND");
    await expectCode("?leaf=11", 404, "LOG_LEAF_NOT_FOUND");
    await expectCode("?leaf=8&tree_size=5", 404, "LOG_LEAF_NOT_FOUND");
    await expectCode("?leaf=2&tree_size=12", 400, "VALIDATION_FAILED");
    await expectCode("?leaf=2&tree_size=0", 400, "VALIDATION_FAILED");
    await expectCode("?leaf=2&tree_size=many", 400, "VALIDATION_FAILED");
    await expectCode("?leaf=not-a-hash", 400, "VALIDATION_FAILED");
    await expectCode("", 400, "VALIDATION_FAILED");
    await expectCode("?leaf=1&extra=1", 400, "VALIDATION_FAILED");
  });
});

describe("GET /v1/log/proof/consistency", () => {
  it("links two sizes of the log", async () => {
    const { status, body } = await get("/v1/log/proof/consistency?from=3&to=11", tokens["auditor"]);
    expect(status).toBe(200);
    const proof = body as { from_root_hash_b64u: string; to_root_hash_b64u: string; proof: string[] };
    expect(proof.to_root_hash_b64u).toBe((await writer.root()).root_hash_b64u);
    expect(proof.from_root_hash_b64u).toBe((await writer.root(3)).root_hash_b64u);
    expect(
      verifyConsistencyProof({
        oldSize: 3,
        newSize: 11,
        oldRoot: b64uDecode(proof.from_root_hash_b64u),
        newRoot: b64uDecode(proof.to_root_hash_b64u),
        proof: proof.proof.map(b64uDecode),
      }),
    ).toBe(true);
  });

  it("answers 400 for sizes out of order or beyond the log", async () => {
    for (const query of ["from=5&to=4", "from=0&to=4", "from=1&to=12", "from=1", "from=a&to=3"]) {
      expect((await get(`/v1/log/proof/consistency?${query}`, tokens["admin"])).body, query).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    }
  });
});

describe("without a log key", () => {
  let bare: TestPlatform;
  beforeAll(async () => void (bare = await startTestPlatform()));
  afterAll(() => bare.close());

  it("the log routes answer DEPENDENCY_NOT_CONFIGURED", async () => {
    const { adminToken } = await bare.tenant();
    for (const path of ["/v1/log/root", "/v1/log/proof/inclusion?leaf=0", "/v1/log/proof/consistency?from=1&to=1"]) {
      expect((await raw(bare.url, "GET", path, { token: adminToken })).body, path).toMatchObject({ reason_code: "DEPENDENCY_NOT_CONFIGURED" });
    }
  });
});
