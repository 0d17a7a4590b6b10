/**
 * The model API a sandbox sees: OpenAI-compatible (`/v1/chat/completions`, `/v1/responses`,
 * `/v1/models`) and Anthropic-compatible (`/v1/messages`) base URLs, plus `/v1/receipts/:id`. Every
 * route needs the run's CST (`X-CST`, `Authorization: Bearer`, or `x-api-key` as Anthropic clients
 * send it), checked before the body is read.
 */
import type { FastifyRequest } from "fastify";
import type { CstBinding, Usage } from "@clawea/policy";
import type { GatewayApp, GatewayDeps } from "../../app.js";
import type { RunContext } from "../../auth/run-context.js";
import { GatewayError } from "../../http/errors.js";
import type { ModelApi } from "./model-proxy.domain.js";
import { createModelProxyService } from "./model-proxy.service.js";
import { chainEventFor } from "../../runs/run-evidence.js";

const MODEL_ROUTES: readonly { path: string; api: ModelApi }[] = [
  { path: "/v1/chat/completions", api: "openai.chat_completions" },
  { path: "/v1/responses", api: "openai.responses" },
  { path: "/v1/messages", api: "anthropic.messages" },
];

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;
const EVENT_HASH_RE = /^[A-Za-z0-9_-]{8,128}$/;
const RECEIPT_ID_RE = /^gwr_[0-9a-f]{32}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const cst = single(request.headers["x-cst"]);
  if (cst) return cst;
  const authorization = single(request.headers.authorization);
  if (authorization && /^bearer /i.test(authorization)) return authorization.slice(7).trim();
  return single(request.headers["x-api-key"]);
}

/** `Idempotency-Key` (or the Clawsig binding's `X-Idempotency-Key`), and `X-Event-Hash`. */
function bindingHeaders(request: FastifyRequest): { idempotencyKey: string | null; eventHash: string | null } {
  const idempotencyKey = single(request.headers["idempotency-key"]) ?? single(request.headers["x-idempotency-key"]) ?? null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY_RE.test(idempotencyKey)) {
    throw new GatewayError("VALIDATION_FAILED", "Idempotency-Key must be 1..255 visible ASCII characters");
  }
  const eventHash = single(request.headers["x-event-hash"]) ?? null;
  if (eventHash !== null && !EVENT_HASH_RE.test(eventHash)) throw new GatewayError("VALIDATION_FAILED", "X-Event-Hash must be a base64url hash");
  return { idempotencyKey, eventHash };
}

export async function modelProxyRoutes(app: GatewayApp, deps: GatewayDeps): Promise<void> {
  const service = createModelProxyService({
    db: deps.db,
    redis: deps.redis,
    keyring: deps.keyring,
    signer: deps.signer,
    gatewayId: deps.gatewayId,
    providers: deps.providers,
    upstreamTimeoutMs: deps.upstreamTimeoutMs,
    now: deps.now ?? (() => new Date()),
    log: app.log,
    chainEvent: chainEventFor(deps.db, deps.now ?? (() => new Date()), deps.chainCommit ?? "async"),
    push: deps.push,
  });
  app.addHook("onClose", () => service.close());

  await app.register(async (scope) => {
    // Model APIs speak JSON only: anything else is UNSUPPORTED_MEDIA_TYPE, not a string body.
    scope.removeContentTypeParser("text/plain");
    const runs = new WeakMap<FastifyRequest, RunContext>();
    const usages = new WeakMap<FastifyRequest, Promise<Usage>>();
    const runOf = (request: FastifyRequest): RunContext => {
      const run = runs.get(request);
      if (!run) throw new GatewayError("INTERNAL_ERROR", "no run context");
      return run;
    };

    scope.addHook("onRequest", async (request) => {
      // A model call reads its run's budget usage: started with the revocation read (one Redis round trip).
      const prefetchUsage =
        request.method === "POST"
          ? (binding: CstBinding) => {
              if (!binding.run_id) return;
              const usage = service.usageOf(binding.tenant_id, binding.run_id);
              usage.catch(() => undefined);
              usages.set(request, usage);
            }
          : undefined;
      const authentication = await deps.authenticator.authenticate(tokenOf(request), "model:invoke", prefetchUsage);
      if (!authentication.ok) throw new GatewayError(authentication.reasonCode, authentication.detail);
      // A runtime that names its run (OpenClaw's static X-Run-Id header) must hold that run's token.
      const runId = single(request.headers["x-run-id"]);
      if (runId !== undefined && runId !== authentication.run.runId) throw new GatewayError("CST_BINDING_MISMATCH", "X-Run-Id names another run than the token");
      runs.set(request, authentication.run);
    });

    for (const { path, api } of MODEL_ROUTES) {
      scope.post(path, async (request, reply) =>
        service.invoke(
          { run: runOf(request), api, body: request.body, headers: request.headers, requestId: request.id, log: request.log, usage: usages.get(request), ...bindingHeaders(request) },
          reply,
        ),
      );
    }

    // Anthropic clients (they send anthropic-version) get Anthropic's list shape, everyone else OpenAI's.
    scope.get("/v1/models", async (request) => {
      const models = await service.listModels(runOf(request));
      if (request.headers["anthropic-version"] !== undefined) {
        const data = models.map((m) => ({ type: "model", id: m.id, display_name: m.id, created_at: "1970-01-01T00:00:00Z" }));
        return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
      }
      return { object: "list", data: models.map((m) => ({ id: m.id, object: "model", created: 0, owned_by: m.provider })) };
    });

    scope.get<{ Params: { receiptId: string } }>("/v1/receipts/:receiptId", async (request) => {
      if (!RECEIPT_ID_RE.test(request.params.receiptId)) throw new GatewayError("NOT_FOUND", "no receipt of this run has that id");
      return service.receipt(runOf(request), request.params.receiptId);
    });
  });
}
