import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, newId, tenants, type Database } from "@clawea/db";
import { sha256B64u } from "@clawea/protocol";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { artifactStore, s3Blobs, type S3Blobs, type S3BlobsOptions } from "./index.js";
import { startLocalS3, type LocalS3 } from "./s3-server.test-support.js";

const credentials = { accessKeyId: "AKIACLAWEATEST", secretAccessKey: "test-secret-not-real" };
const bucket = "clawea-artifacts";
const tenantId = newId("tenant");

let testDb: TestDatabase;
let database: Database;
let s3: LocalS3;
const clients: S3Blobs[] = [];

function blobs(over: Partial<S3BlobsOptions> = {}): S3Blobs {
  const client = s3Blobs({ endpoint: s3.endpoint, region: "auto", bucket, credentials, forcePathStyle: true, ...over });
  clients.push(client);
  return client;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return (error as Error).name;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 2 });
  await database.db.insert(tenants).values({ id: tenantId, name: "s3" });
  s3 = await startLocalS3({ bucket, credentials });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await s3.close();
  await database.close();
  await testDb.drop();
});

describe("s3Blobs", () => {
  it("stores artifacts path-style under the tenant's prefix and reads them back through the artifact store", async () => {
    const store = artifactStore(database.db, blobs());
    const bytes = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    const stored = await store.put(tenantId, bytes, "application/octet-stream");
    const hash = sha256B64u(bytes);
    expect(stored).toEqual({ sha256_b64u: hash, content_type: "application/octet-stream", size_bytes: 256 });
    const key = `${tenantId}/${hash.slice(0, 2)}/${hash}`;
    expect(s3.requests).toContain(`PUT /${bucket}/${key}`);
    expect(s3.objects.get(key)).toEqual(bytes);
    expect(await store.get(tenantId, hash)).toEqual({ bytes, contentType: "application/octet-stream" });
    // Content-addressed: the same bytes again is one object.
    await store.put(tenantId, bytes, "application/octet-stream");
    expect(s3.objects.size).toBe(1);
  });

  it("answers null for a key the bucket does not hold", async () => {
    expect(await blobs().get(`${tenantId}/zz/absent`)).toBeNull();
  });

  it("turns bytes that do not match their address into an error, not data", async () => {
    const store = artifactStore(database.db, blobs());
    const { sha256_b64u: hash } = await store.put(tenantId, new TextEncoder().encode("evidence"), "text/plain");
    s3.objects.set(`${tenantId}/${hash.slice(0, 2)}/${hash}`, new TextEncoder().encode("tampered"));
    await expect(store.get(tenantId, hash)).rejects.toThrow(/corrupt/);
  });

  it("signs with its credentials: a wrong secret or key id is refused, not silently stored", async () => {
    const before = s3.objects.size;
    expect(await rejection(blobs({ credentials: { ...credentials, secretAccessKey: "wrong" } }).put(`${tenantId}/aa/x`, new Uint8Array([1])))).toBe("SignatureDoesNotMatch");
    expect(await rejection(blobs({ credentials: { ...credentials, accessKeyId: "AKIAOTHER" } }).get(`${tenantId}/aa/x`))).toBe("InvalidAccessKeyId");
    expect(await rejection(blobs({ bucket: "other-bucket" }).put(`${tenantId}/aa/x`, new Uint8Array([1])))).toBe("NoSuchBucket");
    expect(s3.objects.size).toBe(before);
  });
});
