// Two writers, each with its own pool (two processes, as far as PostgreSQL can tell), append at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64uEncode } from "@clawea/protocol";
import type { AppendedLeaf, TransparencyLog } from "./index.js";
import { entries, proofChecks, referenceTree, startLog, type LogFixture } from "./log.test-support.js";

let f: LogFixture;
beforeAll(async () => void (f = await startLog()));
afterAll(() => f.close());

/** Several concurrent chains of appends of assorted batch sizes; a third of the labels are shared by all writers. */
async function writer(log: TransparencyLog, name: string, seed: number): Promise<AppendedLeaf[]> {
  let state = seed;
  const random = (n: number) => (state = (state * 1103515245 + 12345) % 2 ** 31) % n;
  const chains = Array.from({ length: 4 }, async (_, chain) => {
    const answers: AppendedLeaf[] = [];
    for (let round = 0; round < 12; round++) {
      const size = 1 + random(40);
      const labels = Array.from({ length: size }, (_, i) => (random(3) === 0 ? `shared ${random(300)}` : `${name} ${chain} ${round} ${i}`));
      answers.push(...(await log.append(entries(labels, `ten_${name}`))));
    }
    return answers;
  });
  return (await Promise.all(chains)).flat();
}

describe("concurrent appends from two pools", () => {
  it("keep one gapless, duplicate-free tree whose stored nodes and proofs are right", async () => {
    const first = f.open().log;
    const second = f.open().log;
    const [a, b] = await Promise.all([writer(first, "a", 1), writer(second, "b", 2)]);

    const leaves = await f.leaves();
    const counts = await f.database.pool.query<{ n: string; max: string; distinct: string }>(
      "select count(*) as n, max(leaf_index) as max, count(distinct leaf_hash_b64u) as distinct from log_leaves",
    );
    expect(Number(counts.rows[0]!.n)).toBe(leaves.length);
    expect(Number(counts.rows[0]!.max)).toBe(leaves.length - 1);
    expect(Number(counts.rows[0]!.distinct)).toBe(leaves.length);
    expect((await f.log.root()).tree_size).toBe(leaves.length);

    // Every answer names the index the hash really has, and a hash both appended got one index.
    const indexOf = new Map(leaves.map((hash, index) => [hash, index]));
    for (const answer of [...a, ...b]) expect(answer.leaf_index).toBe(indexOf.get(answer.leaf_hash_b64u));
    expect(new Set([...a, ...b].map((x) => x.leaf_hash_b64u)).size).toBe(leaves.length);
    // The writers really interleaved: the tree alternates between their batches.
    const owners = await f.database.pool.query<{ tenant_id: string }>("select tenant_id from log_leaves order by leaf_index");
    const switches = owners.rows.filter((row, i) => i > 0 && row.tenant_id !== owners.rows[i - 1]!.tenant_id).length;
    expect(switches).toBeGreaterThan(4);
    const shared = a.filter((x) => b.some((y) => y.leaf_hash_b64u === x.leaf_hash_b64u));
    expect(shared.length).toBeGreaterThan(0);

    const tree = referenceTree(leaves);
    const nodes = await f.database.pool.query<{ level: number; node_index: string; hash_b64u: string }>("select * from log_nodes");
    let expected = 0;
    for (let level = 1; 2 ** level <= leaves.length; level++) expected += Math.floor(leaves.length / 2 ** level);
    expect(nodes.rows).toHaveLength(expected);
    for (const node of nodes.rows) expect(node.hash_b64u).toBe(b64uEncode(tree.node(node.level, Number(node.node_index))));

    expect((await second.root()).root_hash_b64u).toBe(b64uEncode(tree.root()));
    for (const index of [0, 1, leaves.length >> 1, leaves.length - 1]) {
      expect(proofChecks(await first.inclusionProof(index), f.clock.now).verify).toEqual(["OK"]);
    }
  });
});
