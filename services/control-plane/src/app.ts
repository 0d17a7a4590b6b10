/** Builds the Fastify app (no listening): plugins, error shape, OpenAPI, and every feature's routes. */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Redis } from "ioredis";
import type { Db, Keyring } from "@clawea/db";
import type { KeyPair } from "@clawea/protocol";
import type { ArtifactBlobs } from "@clawea/runs";
import type { CardSender } from "./features/approvals/approvals.service.js";
import { ApiKeyCache } from "./http/api-key-cache.js";
import { authPlugin } from "./http/auth.js";
import { idempotencyPlugin } from "./http/idempotency.js";
import { ApiError, Problem, problemBody } from "./http/problem.js";
import { validatorCompiler } from "./http/validation.js";
import { registerFeatures } from "./features/index.js";

export interface AppDeps {
  db: Db;
  keyring: Keyring;
  bootstrapKeyHash: Buffer;
  /** The control plane's signing key: run CSTs, approval receipts, export bundles. */
  signer: KeyPair;
  /** CST revocations (the gateway checks them in Redis on every call). */
  redis: Redis;
  /** Sends approval cards to the tenant's channels; without it approvals are decided through the API only. */
  sendCard?: CardSender;
  /** Public URL of the dashboard, for links on approval cards. */
  dashboardUrl?: string;
  /** The built dashboard served at /dashboard; default: `@clawea/dashboard`'s `dist/`. */
  dashboardDir?: string;
  /** Where run artifacts live (the store the data plane writes); audit exports read them. */
  artifactBlobs?: ArtifactBlobs;
  /** DIDs of the platform's gateways and data planes, published in GET /v1/trust with the control plane's and the log's. */
  trustedSigners?: { gateway: readonly string[]; dataPlane: readonly string[] };
  /** The transparency log's key; without it the log routes answer DEPENDENCY_NOT_CONFIGURED. */
  logSigner?: KeyPair;
  /** Called after a commit that wrote outbox jobs, so the relay moves them now rather than at its next tick. */
  jobsWritten: () => void;
  /** Reachability of the backing services, for /readyz. */
  readiness: () => Promise<Record<string, boolean>>;
  logger: FastifyBaseLogger | false;
  bodyLimitBytes?: number;
  now?: () => Date;
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

const REQUEST_ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;

function fastifyErrorCode(error: FastifyError): ApiError {
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? "request"}${first?.instancePath ?? ""}`;
    return new ApiError("VALIDATION_FAILED", `${where}: ${first?.message ?? "invalid"}`, {
      errors: error.validation.map((v) => ({ path: `${error.validationContext ?? ""}${v.instancePath}`, message: v.message ?? "" })),
    });
  }
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new ApiError("BODY_TOO_LARGE");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError("UNSUPPORTED_MEDIA_TYPE");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new ApiError("VALIDATION_FAILED", "the body is not valid JSON");
    default:
      break;
  }
  if (error.statusCode === 400 && error instanceof SyntaxError) return new ApiError("VALIDATION_FAILED", "the body is not valid JSON");
  const pgCode = (error as { code?: string }).code;
  if (pgCode === "ECONNREFUSED" || pgCode === "57P01" || pgCode === "ETIMEDOUT") return new ApiError("DEPENDENCY_UNAVAILABLE");
  return new ApiError("INTERNAL_ERROR");
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    ...(deps.logger === false ? { logger: false } : { loggerInstance: deps.logger }),
    bodyLimit: deps.bodyLimitBytes ?? 256 * 1024,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID_RE.test(incoming) ? incoming : `req_${randomUUID().replaceAll("-", "")}`;
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  // The API speaks JSON only: anything else is 415, not a string the schema then rejects.
  app.removeContentTypeParser("text/plain");
  app.addSchema(Problem);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "clawea API",
        version: "0.1.0",
        description: "Enterprise agent platform: tenants, keys, templates, agents, policies, secrets, usage.",
      },
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "A tenant API key `<key id>.<secret>`." },
          bootstrapKey: { type: "http", scheme: "bearer", description: "The platform operator's bootstrap key." },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  const keyCache = new ApiKeyCache();
  await app.register(authPlugin, { db: deps.db, bootstrapKeyHash: deps.bootstrapKeyHash, now: deps.now ?? (() => new Date()), keyCache });
  await app.register(idempotencyPlugin, { db: deps.db });

  // Callback style: an async hook costs every response a promise and a microtask turn.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-request-id", request.id);
    done(null, payload);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = error instanceof ApiError ? error : fastifyErrorCode(error);
    if (apiError.code === "INTERNAL_ERROR" || apiError.code === "DEPENDENCY_UNAVAILABLE") {
      request.log.error({ err: error, reason_code: apiError.code }, "request failed");
    }
    if (apiError.code === "DEPENDENCY_UNAVAILABLE") reply.header("retry-after", "5");
    return reply
      .code(apiError.status)
      .type("application/problem+json")
      .send(problemBody(apiError.code, apiError.message, request.id, apiError.extra));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type("application/problem+json")
      .send(problemBody("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`, request.id)),
  );

  await registerFeatures(app, deps, { keyCache });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  await app.register(async (scope) => dashboard(scope as App, deps.dashboardDir ?? builtDashboardDir()), { prefix: "/dashboard" });
  return app;
}

function builtDashboardDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@clawea/dashboard/package.json")), "dist");
  } catch {
    return "";
  }
}

// ajv compiles the verifier's schemas with `new Function`, hence 'unsafe-eval'; nothing else leaves the origin.
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The dashboard's static files (public: the API key is entered in the page), index.html for its client routes. */
async function dashboard(scope: App, dir: string): Promise<void> {
  if (!dir || !existsSync(join(dir, "index.html"))) {
    const notBuilt = async (request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(404)
        .type("application/problem+json")
        .send(problemBody("NOT_FOUND", "the dashboard is not built: run `pnpm --filter @clawea/dashboard build`", request.id));
    scope.get("/", { schema: { hide: true } }, notBuilt);
    scope.get("/*", { schema: { hide: true } }, notBuilt);
    return;
  }
  scope.addHook("onSend", async (_request, reply) => {
    reply.header("content-security-policy", DASHBOARD_CSP).header("x-content-type-options", "nosniff").header("referrer-policy", "no-referrer");
  });
  await scope.register(fastifyStatic, {
    root: dir,
    prefix: "/",
    cacheControl: false,
    // Vite's asset names carry their content hash; index.html must be fetched fresh to find them.
    setHeaders: (reply, path) => reply.header("cache-control", path.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable"),
  });
  scope.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/dashboard") return reply.redirect("/dashboard/", 301);
    if ((request.method === "GET" || request.method === "HEAD") && !path.startsWith("/dashboard/assets/")) return reply.sendFile("index.html");
    return reply.code(404).type("application/problem+json").send(problemBody("NOT_FOUND", `no route ${request.method} ${path}`, request.id));
  });
}
