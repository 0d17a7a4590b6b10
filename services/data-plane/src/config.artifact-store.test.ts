import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { b64uEncode, keyPairFromSeed } from "@clawea/protocol";
import { ConfigError, loadConfig } from "./config.js";

const seed = (): string => b64uEncode(randomBytes(32));
const base = {
  CLAWEA_KEK: seed(),
  CLAWEA_DATA_PLANE_SIGNING_KEY: seed(),
  CLAWEA_LOG_SIGNING_KEY: seed(),
  CLAWEA_CST_ISSUERS: keyPairFromSeed(randomBytes(32)).did,
  ARTIFACT_ROOT: "/var/lib/clawea/artifacts",
};
const s3 = { ARTIFACT_STORE: "s3", S3_BUCKET: "artifacts", S3_ACCESS_KEY_ID: "AKIA", S3_SECRET_ACCESS_KEY: "secret" };

describe("config: artifact store, health", () => {
  it("defaults to the fs store under ARTIFACT_ROOT, a 30 s health sweep and 3 failed restarts", () => {
    expect(loadConfig(base)).toMatchObject({
      artifactStore: { kind: "fs", root: "/var/lib/clawea/artifacts" },
      healthIntervalMs: 30_000,
      maxRestartFailures: 3,
    });
    expect(loadConfig({ ...base, HEALTH_INTERVAL_SECONDS: "5", AGENT_RESTART_MAX_FAILURES: "1" })).toMatchObject({ healthIntervalMs: 5_000, maxRestartFailures: 1 });
  });

  it("reads S3_* for ARTIFACT_STORE=s3: AWS (virtual-hosted) without an endpoint, path-style with one unless told otherwise", () => {
    expect(loadConfig({ ...base, ...s3 }).artifactStore).toEqual({
      kind: "s3",
      region: "us-east-1",
      bucket: "artifacts",
      credentials: { accessKeyId: "AKIA", secretAccessKey: "secret" },
      forcePathStyle: false,
    });
    expect(loadConfig({ ...base, ...s3, S3_ENDPOINT: "http://127.0.0.1:9000", S3_REGION: "auto" }).artifactStore).toMatchObject({
      endpoint: "http://127.0.0.1:9000/",
      region: "auto",
      forcePathStyle: true,
    });
    expect(loadConfig({ ...base, ...s3, S3_ENDPOINT: "https://acct.r2.cloudflarestorage.com", S3_FORCE_PATH_STYLE: "false" }).artifactStore).toMatchObject({ forcePathStyle: false });
  });

  it.each([
    { ARTIFACT_STORE: "gcs" },
    { ...s3, S3_BUCKET: "" },
    { ...s3, S3_SECRET_ACCESS_KEY: undefined },
    { ...s3, S3_FORCE_PATH_STYLE: "yes" },
    { ...s3, S3_ENDPOINT: "not a url" },
    { HEALTH_INTERVAL_SECONDS: "0" },
    { AGENT_RESTART_MAX_FAILURES: "-1" },
  ])("refuses %o", (env) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
  });
});
