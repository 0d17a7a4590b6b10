/**
 * The artifact store's configuration, read the same way by every service that opens it (the data
 * plane writes artifacts, the control plane's exports read them): `ARTIFACT_STORE=fs` under a folder,
 * or `s3` with `S3_*`. Takes the environment as an argument; throws `ArtifactConfigError` with the
 * variable's name, which each service's config turns into its own configuration error.
 */
import { fsBlobs, type ArtifactBlobs } from "./artifact-store.js";
import { s3Blobs, type S3BlobsOptions } from "./s3-blobs.js";

export type ArtifactStoreConfig = { kind: "fs"; root: string } | ({ kind: "s3" } & S3BlobsOptions);

export class ArtifactConfigError extends Error {
  override readonly name = "ArtifactConfigError";
}

function required(env: Readonly<Record<string, string | undefined>>, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new ArtifactConfigError(`${name} is not set: ${hint}`);
  return value;
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new ArtifactConfigError(`${name} must be true or false, got ${raw}`);
}

export function artifactStoreConfig(env: Readonly<Record<string, string | undefined>>, root: string): ArtifactStoreConfig {
  const kind = env["ARTIFACT_STORE"] || "fs";
  if (kind === "fs") return Object.freeze({ kind, root });
  if (kind !== "s3") throw new ArtifactConfigError(`ARTIFACT_STORE must be fs or s3, got ${kind}`);
  let endpoint: string | undefined;
  if (env["S3_ENDPOINT"]) {
    try {
      endpoint = new URL(env["S3_ENDPOINT"]).toString();
    } catch {
      throw new ArtifactConfigError(`S3_ENDPOINT must be a URL, got ${env["S3_ENDPOINT"]}`);
    }
  }
  return Object.freeze({
    kind,
    ...(endpoint === undefined ? {} : { endpoint }),
    region: env["S3_REGION"] || "us-east-1",
    bucket: required(env, "S3_BUCKET", "the bucket that holds every tenant's artifacts"),
    credentials: Object.freeze({
      accessKeyId: required(env, "S3_ACCESS_KEY_ID", "the access key id for S3_BUCKET"),
      secretAccessKey: required(env, "S3_SECRET_ACCESS_KEY", "the secret access key for S3_BUCKET"),
    }),
    // Self-hosted stores (MinIO) want path-style URLs; AWS itself wants virtual-hosted ones.
    forcePathStyle: flag(env, "S3_FORCE_PATH_STYLE", endpoint !== undefined),
  });
}

export function artifactBlobsFor(config: ArtifactStoreConfig): ArtifactBlobs {
  return config.kind === "s3" ? s3Blobs(config) : fsBlobs(config.root);
}
