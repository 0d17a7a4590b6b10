// Universal Run Manifest (poh/urm.v1): the run's harness, hashed inputs and hashed outputs.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, JsonObject, NonEmptyString, schemaId } from "./common.schema.js";

export const UrmResource = Type.Object(
  {
    type: NonEmptyString,
    hash_b64u: B64u,
    content_type: Type.Optional(Type.String()),
    uri: Type.Optional(Type.String({ format: "uri" })),
    path: Type.Optional(Type.String()),
    size_bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    metadata: Type.Optional(JsonObject),
  },
  closed,
);
export type UrmResource = Static<typeof UrmResource>;

export const Urm = Type.Object(
  {
    urm_version: Type.Literal("1"),
    urm_id: NonEmptyString,
    run_id: NonEmptyString,
    agent_did: Did,
    issued_at: DateTime,
    harness: Type.Object(
      {
        id: NonEmptyString,
        version: NonEmptyString,
        runtime: Type.Optional(Type.String()),
        config_hash_b64u: Type.Optional(B64u),
        metadata: Type.Optional(JsonObject),
      },
      closed,
    ),
    inputs: Type.Array(UrmResource),
    outputs: Type.Array(UrmResource),
    event_chain_root_hash_b64u: Type.Optional(B64u),
    receipts_root_hash_b64u: Type.Optional(B64u),
    proof_bundle_hash_b64u: Type.Optional(B64u),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/urm.v1.json"), ...closed },
);
export type Urm = Static<typeof Urm>;
