// Model identity (poh/model_identity.v1): what a receipt may claim about the model behind a call, by tier.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, JsonObject, NonEmptyString, NonNegativeNumber, ResourceRef, schemaId, StringEnum } from "./common.schema.js";

export const ModelIdentityTier = StringEnum(["closed_opaque", "closed_provider_manifest", "openweights_hashable", "tee_measured"]);
export type ModelIdentityTier = Static<typeof ModelIdentityTier>;

export const ModelIdentity = Type.Object(
  {
    model_identity_version: Type.Literal("1"),
    tier: ModelIdentityTier,
    model: Type.Object(
      {
        provider: NonEmptyString,
        name: NonEmptyString,
        family: Type.Optional(Type.String()),
        endpoint: Type.Optional(Type.String()),
        region: Type.Optional(Type.String()),
        deployment_id: Type.Optional(Type.String()),
        revision: Type.Optional(Type.String()),
      },
      closed,
    ),
    gateway_observed: Type.Optional(
      Type.Object(
        {
          gateway_id: Did,
          observed_at: DateTime,
          request_id: Type.Optional(Type.String()),
          provider_response_fingerprint: Type.Optional(Type.String()),
          transport: Type.Optional(
            Type.Object(
              {
                provider_api: Type.Optional(Type.String()),
                http_status: Type.Optional(NonNegativeNumber),
                latency_ms: Type.Optional(NonNegativeNumber),
              },
              closed,
            ),
          ),
        },
        closed,
      ),
    ),
    artifacts: Type.Optional(
      Type.Object(
        {
          provider_manifest: Type.Optional(
            Type.Object(
              {
                manifest_type: Type.Literal("provider_build_manifest"),
                uri: Type.Optional(Type.String()),
                hash_b64u: B64u,
                content_type: Type.Optional(Type.String()),
                signature: Type.Optional(Type.Object({ signer_did: Did, signature_envelope_ref: ResourceRef }, closed)),
              },
              closed,
            ),
          ),
          openweights: Type.Optional(
            Type.Object(
              {
                weights_format: Type.Optional(Type.String()),
                weights: Type.Optional(
                  Type.Array(
                    Type.Object(
                      { file_name: Type.Optional(Type.String()), hash_b64u: B64u, size_bytes: Type.Optional(NonNegativeNumber) },
                      closed,
                    ),
                  ),
                ),
                tokenizer: Type.Optional(JsonObject),
                config: Type.Optional(JsonObject),
                serving_code: Type.Optional(JsonObject),
              },
              closed,
            ),
          ),
          tee_measurement: Type.Optional(
            Type.Object(
              {
                attestation_type: Type.Optional(Type.String()),
                attestation_report_ref: Type.Optional(ResourceRef),
                measurement: Type.Optional(JsonObject),
                tcb: Type.Optional(JsonObject),
              },
              closed,
            ),
          ),
        },
        closed,
      ),
    ),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/model_identity.v1.json"), ...closed },
);
export type ModelIdentity = Static<typeof ModelIdentity>;
