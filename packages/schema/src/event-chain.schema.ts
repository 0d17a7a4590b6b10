// Event chain (poh/event_chain.v1): the run's hash-linked, tamper-evident event log.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, JsonObject, NonEmptyString, Ref, schemaId } from "./common.schema.js";

export const EventChainEntry = Type.Object(
  {
    event_id: NonEmptyString,
    run_id: NonEmptyString,
    event_type: NonEmptyString,
    timestamp: DateTime,
    payload_hash_b64u: B64u,
    // null only on the first event of a chain.
    prev_hash_b64u: Type.Union([B64u, Type.Null()]),
    event_hash_b64u: B64u,
  },
  { $id: schemaId("poh/event_chain_entry.v1.json"), ...closed },
);
export type EventChainEntry = Static<typeof EventChainEntry>;

export const EventChain = Type.Object(
  {
    chain_version: Type.Literal("1"),
    chain_id: NonEmptyString,
    run_id: NonEmptyString,
    events: Type.Array(Ref(EventChainEntry), { minItems: 1 }),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/event_chain.v1.json"), ...closed },
);
export type EventChain = Static<typeof EventChain>;
