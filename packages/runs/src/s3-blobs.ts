/**
 * The `s3` artifact blobs: one bucket on S3, R2 or MinIO. Keys arrive already prefixed by tenant
 * (`artifact-store.ts`), so one bucket serves every tenant.
 */
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { ArtifactBlobs } from "./artifact-store.js";

export interface S3BlobsOptions {
  /** e.g. `https://<account>.r2.cloudflarestorage.com` or `http://127.0.0.1:9000`; AWS's own when absent. */
  endpoint?: string;
  /** R2 takes `auto`. */
  region: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** `http://host/bucket/key` rather than `http://bucket.host/key`: MinIO and most self-hosted stores need it. */
  forcePathStyle: boolean;
}

export interface S3Blobs extends ArtifactBlobs {
  /** Closes the client's sockets. */
  close(): void;
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404;
}

export function s3Blobs(options: S3BlobsOptions): S3Blobs {
  const client = new S3Client({
    region: options.region,
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    // Checksums only where the API demands them: S3-compatible stores (R2, older MinIO) reject the
    // SDK's default CRC trailers, and every blob is checked against its SHA-256 address on read anyway.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return {
    name: "s3",
    async put(key, bytes) {
      // A content-addressed key always holds the same bytes: writing it again is harmless.
      await client.send(
        new PutObjectCommand({ Bucket: options.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: "application/octet-stream" }),
      );
    },
    async get(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
        if (object.Body === undefined) return null;
        return await object.Body.transformToByteArray();
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    close() {
      client.destroy();
    },
  };
}
