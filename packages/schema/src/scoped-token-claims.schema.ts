// CST claims (auth/scoped_token_claims.v1): what a scoped capability token grants, to whom, until when.
import { Type, type Static } from "@sinclair/typebox";
import { closed, NonNegativeNumber, schemaId, StringEnum } from "./common.schema.js";

// CSTs pin DIDs and hashes more tightly than receipts do: a method-specific id and an exact SHA-256 b64u length.
const StrictDid = Type.String({ pattern: "^did:[a-z0-9]+:[a-zA-Z0-9._%-]+$" });
const Sha256B64u = Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" });

export const CstClaims = Type.Object(
  {
    token_version: Type.Literal("1"),
    /** The agent DID. */
    sub: Type.String(),
    owner_ref: Type.Optional(Type.String()),
    owner_did: Type.Optional(StrictDid),
    controller_did: Type.Optional(StrictDid),
    agent_did: Type.Optional(StrictDid),
    aud: Type.Union([Type.String(), Type.Array(Type.String())]),
    scope: Type.Array(Type.String(), { minItems: 1 }),
    policy_hash_b64u: Type.Optional(Sha256B64u),
    control_plane_policy_hash_b64u: Type.Optional(Sha256B64u),
    token_scope_hash_b64u: Type.Optional(Sha256B64u),
    payment_account_did: Type.Optional(StrictDid),
    spend_cap: Type.Optional(NonNegativeNumber),
    mission_id: Type.Optional(Type.String()),
    delegation_id: Type.Optional(Type.String()),
    delegator_did: Type.Optional(StrictDid),
    delegate_did: Type.Optional(StrictDid),
    delegation_policy_hash_b64u: Type.Optional(Sha256B64u),
    delegation_spend_cap_minor: Type.Optional(Type.String({ pattern: "^[0-9]+$" })),
    /** Epoch seconds. */
    delegation_expires_at: Type.Optional(Type.Integer()),
    token_lane: Type.Optional(StringEnum(["legacy", "canonical"])),
    jti: Type.Optional(Type.String()),
    /** Epoch seconds. */
    iat: Type.Integer(),
    /** Epoch seconds. */
    exp: Type.Integer(),
    nonce: Type.Optional(Type.String()),
  },
  { $id: schemaId("auth/scoped_token_claims.v1.json"), ...closed },
);
export type CstClaims = Static<typeof CstClaims>;
