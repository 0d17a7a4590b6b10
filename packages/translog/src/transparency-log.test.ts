// The log against real PostgreSQL: appends, idempotency, proofs at every size, signed heads, errors, pushback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64uDecode, b64uEncode, publicKeyFromDid, rootHash, sha256, utf8, verifyBytes, verifyConsistencyProof } from "@clawea/protocol";
import { EMPTY_ROOT_B64U } from "./index.js";
import { codeOf, entries, leafHash, proofChecks, referenceTree, signer, startLog, type LogFixture } from "./log.test-support.js";

describe("an empty log", () => {
  let f: LogFixture;
  beforeAll(async () => void (f = await startLog()));
  afterAll(() => f.close());

  it("has the empty root, signs it, and holds no leaf", async () => {
    expect(await f.log.root()).toEqual({ tree_size: 0, root_hash_b64u: EMPTY_ROOT_B64U });
    const head = await f.log.signedTreeHead();
    expect(head).toMatchObject({ tree_size: 0, root_hash_b64u: EMPTY_ROOT_B64U, root_signature: { signer_did: signer.did } });
    expect(await codeOf(f.log.inclusionProof(0))).toBe("LOG_LEAF_NOT_FOUND");
    expect(await codeOf(f.log.inclusionProof(leafHash("nothing")))).toBe("LOG_LEAF_NOT_FOUND");
    expect(await codeOf(f.log.consistencyProof(1, 1))).toBe("VALIDATION_FAILED");
    expect(await f.log.append([])).toEqual([]);
  });
});

describe("append", () => {
  let f: LogFixture;
  beforeAll(async () => void (f = await startLog()));
  afterAll(() => f.close());

  it("numbers new leaves contiguously in input order and records their bookkeeping", async () => {
    const first = await f.log.append(entries(["a", "b", "c"]));
    expect(first).toEqual([
      { leaf_index: 0, leaf_hash_b64u: leafHash("a"), existed: false },
      { leaf_index: 1, leaf_hash_b64u: leafHash("b"), existed: false },
      { leaf_index: 2, leaf_hash_b64u: leafHash("c"), existed: false },
    ]);
    const rows = await f.database.pool.query("select leaf_index, tenant_id, kind, ref, appended_at from log_leaves order by leaf_index");
    expect(rows.rows[1]).toMatchObject({ leaf_index: "1", tenant_id: "ten_test", kind: "execution_attestation", ref: "run_b", appended_at: f.clock.now });
    expect((await f.log.root()).tree_size).toBe(3);
  });

  it("returns the existing index for an entry already logged, whoever appends it", async () => {
    const again = await f.log.append([...entries(["b"], "ten_other"), ...entries(["d", "a", "d"])]);
    expect(again).toEqual([
      { leaf_index: 1, leaf_hash_b64u: leafHash("b"), existed: true },
      { leaf_index: 3, leaf_hash_b64u: leafHash("d"), existed: false },
      { leaf_index: 0, leaf_hash_b64u: leafHash("a"), existed: true },
      { leaf_index: 3, leaf_hash_b64u: leafHash("d"), existed: true },
    ]);
    const stored = await f.database.pool.query("select tenant_id from log_leaves where leaf_index = 1");
    expect(stored.rows[0].tenant_id).toBe("ten_test");
    expect((await f.log.root()).tree_size).toBe(4);
  });

  it("refuses a malformed batch whole, appending nothing", async () => {
    const good = entries(["e"])[0]!;
    expect(await codeOf(f.log.append([good, { ...good, leaf_hash_b64u: "not-a-hash" }]))).toBe("MALFORMED_ENCODING");
    expect(await codeOf(f.log.append([{ ...good, leaf_hash_b64u: b64uEncode(new Uint8Array(20)) }]))).toBe("MALFORMED_ENCODING");
    // Padding or the standard alphabet would give one hash two spellings.
    expect(await codeOf(f.log.append([{ ...good, leaf_hash_b64u: `${good.leaf_hash_b64u}=` }]))).toBe("MALFORMED_ENCODING");
    expect(await codeOf(f.log.append([{ ...good, tenant_id: "" }]))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.append([{ ...good, kind: "" }]))).toBe("VALIDATION_FAILED");
    expect((await f.log.root()).tree_size).toBe(4);
  });

  it("stores exactly the complete subtrees, with the in-memory tree's hashes", async () => {
    await f.log.append(entries(Array.from({ length: 29 }, (_, i) => `more ${i}`)));
    const leaves = await f.leaves();
    expect(leaves).toHaveLength(33);
    const tree = referenceTree(leaves);
    const nodes = await f.database.pool.query<{ level: number; node_index: string; hash_b64u: string }>("select * from log_nodes order by level, node_index");
    expect(nodes.rows).toHaveLength(16 + 8 + 4 + 2 + 1);
    for (const node of nodes.rows) expect(node.hash_b64u).toBe(b64uEncode(tree.node(node.level, Number(node.node_index))));
    expect((await f.log.root()).root_hash_b64u).toBe(b64uEncode(tree.root()));
  });

  it("pushes back when more calls wait than maxPending, telling them when to retry", async () => {
    const { log } = f.open({ maxPending: 1 });
    const calls = [0, 1, 2, 3].map((i) => log.append(entries([`pushback ${i}`])));
    const codes = await Promise.all(calls.map(codeOf));
    expect(codes).toEqual(["ok", "ok", "LOG_PUSHBACK", "LOG_PUSHBACK"]);
    const refused = await calls[2]!.catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "LOG_PUSHBACK", status: 503, extra: { retry_after_seconds: 1 } });
    expect(await codeOf(log.append(entries(["pushback 2"])))).toBe("ok");
  });

  it("pushes back when another writer holds the log past the lock timeout", async () => {
    const { log } = f.open({ lockTimeoutMs: 150 });
    const holder = await f.open().database.pool.connect();
    try {
      await holder.query("begin");
      await holder.query("select tree_size from log_state where id = 1 for update");
      expect(await codeOf(log.append(entries(["held"])))).toBe("LOG_PUSHBACK");
      await holder.query("rollback");
      expect(await codeOf(log.append(entries(["held"])))).toBe("ok");
    } finally {
      holder.release();
    }
  });

  it("coalesces concurrent calls of one process into few transactions, each caller getting its own answer", async () => {
    const before = (await f.log.root()).tree_size;
    const calls = Array.from({ length: 50 }, (_, i) => f.log.append(entries([`burst ${i}`, `burst ${i} b`])));
    const answers = await Promise.all(calls);
    const indexes = answers.flat().map((a) => a.leaf_index);
    expect(new Set(indexes).size).toBe(100);
    expect(Math.min(...indexes)).toBe(before);
    expect(Math.max(...indexes)).toBe(before + 99);
    answers.forEach((answer, i) => expect(answer.map((a) => a.leaf_hash_b64u)).toEqual([leafHash(`burst ${i}`), leafHash(`burst ${i} b`)]));
  });
});

describe("proofs", () => {
  const SIZE = 33;
  let f: LogFixture;
  let leaves: string[];
  beforeAll(async () => {
    f = await startLog();
    // Batches of assorted sizes, so nodes are completed across batch boundaries.
    const labels = Array.from({ length: SIZE }, (_, i) => `proof leaf ${i}`);
    for (const [from, to] of [[0, 1], [1, 2], [2, 5], [5, 6], [6, 13], [13, 16], [16, 17], [17, 31], [31, 33]] as const) {
      await f.log.append(entries(labels.slice(from, to)));
    }
    leaves = await f.leaves();
  });
  afterAll(() => f.close());

  it("of inclusion verify for every leaf of every size 1..33 and match the in-memory tree", async () => {
    const tree = referenceTree(leaves);
    for (let size = 1; size <= SIZE; size++) {
      for (let index = 0; index < size; index++) {
        const proof = await f.log.inclusionProof(index, size);
        expect(proofChecks(proof, f.clock.now)).toEqual({ ours: true, upstream: [], verify: ["OK"] });
        expect(proof).toMatchObject({ tree_size: size, leaf_hash_b64u: leaves[index], log_id: signer.did, metadata: { leaf_index: index } });
        expect(proof.audit_path).toEqual(tree.inclusionProof(index, size).map(b64uEncode));
        expect(proof.root_hash_b64u).toBe(b64uEncode(tree.root(size)));
      }
    }
    const byHash = await f.log.inclusionProof(leaves[7]!, 20);
    expect(byHash).toEqual(await f.log.inclusionProof(7, 20));
  });

  it("of inclusion default to the newest published head holding the leaf", async () => {
    f.clock.now = new Date("2026-11-25T11:00:00.000Z");
    const head = await f.log.signedTreeHead();
    expect(head.tree_size).toBe(SIZE);
    expect((await f.log.inclusionProof(3)).root_published_at).toBe(head.published_at);
    await f.log.append(entries(["late leaf"]));
    f.clock.now = new Date("2026-11-25T12:00:00.000Z");
    // An older leaf stays proven against the head already published; a new one gets a new head.
    expect(await f.log.inclusionProof(3)).toMatchObject({ tree_size: SIZE, root_published_at: head.published_at });
    const late = await f.log.inclusionProof(leafHash("late leaf"));
    expect(late).toMatchObject({ tree_size: SIZE + 1, root_published_at: "2026-11-25T12:00:00.000Z", metadata: { leaf_index: SIZE } });
    expect(proofChecks(late, f.clock.now).verify).toEqual(["OK"]);
  });

  it("of consistency verify for every pair of sizes up to 20, and fail when tampered", async () => {
    const tree = referenceTree(leaves);
    for (let to = 1; to <= 20; to++) {
      for (let from = 1; from <= to; from++) {
        const proof = await f.log.consistencyProof(from, to);
        expect(proof.from_root_hash_b64u).toBe(b64uEncode(tree.root(from)));
        expect(proof.to_root_hash_b64u).toBe(b64uEncode(tree.root(to)));
        expect(proof.proof).toEqual(tree.consistencyProof(from, to).map(b64uEncode));
        const input = { oldSize: from, newSize: to, oldRoot: b64uDecode(proof.from_root_hash_b64u), newRoot: b64uDecode(proof.to_root_hash_b64u), proof: proof.proof.map(b64uDecode) };
        expect(verifyConsistencyProof(input)).toBe(true);
        if (input.proof.length > 0) expect(verifyConsistencyProof({ ...input, proof: [sha256("x"), ...input.proof.slice(1)] })).toBe(false);
        if (from < to) expect(verifyConsistencyProof({ ...input, newRoot: b64uDecode(proof.from_root_hash_b64u) })).toBe(false);
      }
    }
  });

  it("answer errors as reason codes", async () => {
    const size = (await f.log.root()).tree_size;
    expect(await codeOf(f.log.inclusionProof(0, size + 1))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.inclusionProof(0, 0))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.inclusionProof(10, 5))).toBe("LOG_LEAF_NOT_FOUND");
    expect(await codeOf(f.log.inclusionProof(size))).toBe("LOG_LEAF_NOT_FOUND");
    expect(await codeOf(f.log.inclusionProof(-1))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.inclusionProof(leafHash("never appended")))).toBe("LOG_LEAF_NOT_FOUND");
    expect(await codeOf(f.log.inclusionProof("short"))).toBe("MALFORMED_ENCODING");
    expect(await codeOf(f.log.consistencyProof(5, 4))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.consistencyProof(0, 4))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.consistencyProof(1, size + 1))).toBe("VALIDATION_FAILED");
    expect(await codeOf(f.log.root(size + 1))).toBe("VALIDATION_FAILED");
  });
});

describe("signed tree heads", () => {
  let f: LogFixture;
  beforeAll(async () => {
    f = await startLog();
    await f.log.append(entries(["h1", "h2", "h3", "h4", "h5"]));
  });
  afterAll(() => f.close());

  it("sign the root's base64url text with the log key, are stored, and stay as first published", async () => {
    const head = await f.log.signedTreeHead();
    expect(head).toMatchObject({ log_id: signer.did, tree_size: 5, published_at: f.clock.now.toISOString() });
    const signature = b64uDecode(head.root_signature.sig_b64u);
    expect(verifyBytes(publicKeyFromDid(head.root_signature.signer_did), utf8(head.root_hash_b64u), signature)).toBe(true);
    expect(head.root_hash_b64u).toBe(b64uEncode(rootHash(referenceTree(await f.leaves()), 5)));

    f.clock.now = new Date(f.clock.now.getTime() + 60_000);
    expect(await f.log.signedTreeHead()).toEqual(head);
    expect(await f.open().log.signedTreeHead(5)).toEqual(head);
    const stored = await f.database.pool.query("select tree_size, root_hash_b64u, signed from log_tree_heads where tree_size = 5");
    expect(stored.rows[0]).toEqual({ tree_size: "5", root_hash_b64u: head.root_hash_b64u, signed: { root_hash_b64u: head.root_hash_b64u, ...head.root_signature } });

    const older = await f.log.signedTreeHead(3);
    expect(older).toMatchObject({ tree_size: 3, published_at: f.clock.now.toISOString() });
  });
});
