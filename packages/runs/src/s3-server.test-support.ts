/**
 * A tiny S3-compatible server for the `s3` blobs tests: path-style PUT/GET object on one bucket,
 * AWS Signature V4 checked the way S3 checks it (unknown key id, bad signature and a body that does
 * not match its signed hash are refused with S3's error codes), objects kept in memory.
 */
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalS3 {
  endpoint: string;
  objects: Map<string, Uint8Array>;
  /** Every request as `METHOD /path` (query dropped), for asserting what the client sent. */
  requests: string[];
  close(): Promise<void>;
}

const sha256Hex = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();
/** RFC 3986 encoding, as SigV4 wants for the canonical query string. */
const encode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function errorXml(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { "content-type": "application/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
}

/** The reason code S3 would answer, or null when the request is signed by `credentials`. */
function checkSignature(req: IncomingMessage, path: string, body: Buffer, credentials: { accessKeyId: string; secretAccessKey: string }): string | null {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? "");
  if (!auth) return "AccessDenied";
  const [, keyId, date, region, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string];
  if (keyId !== credentials.accessKeyId) return "InvalidAccessKeyId";
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256Hex(body)) return "XAmzContentSHA256Mismatch";
  const query = new URL(req.url ?? "/", "http://local").searchParams;
  const canonicalQuery = [...query.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const headerNames = signedHeaders.split(";");
  const canonicalHeaders = headerNames.map((name) => `${name}:${String(req.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), "s3"), "aws4_request");
  return createHmac("sha256", signingKey).update(stringToSign).digest("hex") === signature ? null : "SignatureDoesNotMatch";
}

export async function startLocalS3(options: { bucket: string; credentials: { accessKeyId: string; secretAccessKey: string } }): Promise<LocalS3> {
  const objects = new Map<string, Uint8Array>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      requests.push(`${req.method} ${path}`);
      const denied = checkSignature(req, path, body, options.credentials);
      if (denied) return errorXml(res, 403, denied);
      const [, bucket, ...keyParts] = path.split("/");
      if (bucket !== options.bucket) return errorXml(res, 404, "NoSuchBucket");
      const key = keyParts.map(decodeURIComponent).join("/");
      if (key === "") return errorXml(res, 400, "InvalidRequest");
      if (req.method === "PUT") {
        objects.set(key, new Uint8Array(body));
        res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
        return res.end();
      }
      if (req.method === "GET") {
        const object = objects.get(key);
        if (!object) return errorXml(res, 404, "NoSuchKey");
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": object.length, etag: `"${createHash("md5").update(object).digest("hex")}"` });
        return res.end(object);
      }
      errorXml(res, 405, "MethodNotAllowed");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
