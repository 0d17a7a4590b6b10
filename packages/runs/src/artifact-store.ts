/**
 * The tenant's artifact store: bytes addressed by their SHA-256 (b64u), recorded in `artifacts`.
 * `fs` keeps them under a root folder, one prefix per tenant; the S3/R2 store implements the same
 * interface. Writing the same bytes twice is a no-op.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { artifacts, type Executor } from "@clawea/db";
import { sha256B64u } from "@clawea/protocol";

export interface ArtifactBlobs {
  readonly name: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
}

export function fsBlobs(root: string): ArtifactBlobs {
  return {
    name: "fs",
    async put(key, bytes) {
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename: a reader never sees half a file under its hash.
      const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temp, bytes);
      await rename(temp, path);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(join(root, key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

export interface StoredArtifact {
  sha256_b64u: string;
  content_type: string;
  size_bytes: number;
}

/** Keys never contain tenant-chosen text: `<tenant id>/<first two chars>/<hash>`. */
const keyOf = (tenantId: string, hash: string): string => `${tenantId}/${hash.slice(0, 2)}/${hash}`;

export function artifactStore(db: Executor, blobs: ArtifactBlobs) {
  return {
    async put(tenantId: string, bytes: Uint8Array, contentType: string): Promise<StoredArtifact> {
      const hash = sha256B64u(bytes);
      const key = keyOf(tenantId, hash);
      await blobs.put(key, bytes);
      await db
        .insert(artifacts)
        .values({ tenantId, sha256: hash, contentType, sizeBytes: bytes.length, storageKey: key })
        .onConflictDoNothing();
      return { sha256_b64u: hash, content_type: contentType, size_bytes: bytes.length };
    },
    /** The bytes, checked against their address: a store that returns other bytes is an error, not data. */
    async get(tenantId: string, hash: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
      const [row] = await db
        .select()
        .from(artifacts)
        .where(and(eq(artifacts.tenantId, tenantId), eq(artifacts.sha256, hash)));
      if (!row) return null;
      const bytes = await blobs.get(row.storageKey);
      if (!bytes) return null;
      if (sha256B64u(bytes) !== hash) throw new Error(`artifact ${hash} is corrupt in the ${blobs.name} store`);
      return { bytes, contentType: row.contentType };
    },
  };
}
export type ArtifactStore = ReturnType<typeof artifactStore>;
