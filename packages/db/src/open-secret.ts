/**
 * Reading one sealed tenant secret back, for the planes that hand it to a run (the gateway, the data
 * plane). Opens exactly the named secret: nothing else is fetched, and nothing here logs.
 */
import { and, eq } from "drizzle-orm";
import type { Executor } from "./client.js";
import { secrets, type SecretKind } from "./schema/index.js";
import { sealBinding, unseal, type Keyring } from "./seal.js";

export interface OpenedSecret {
  name: string;
  kind: SecretKind;
  value: string;
}

/** The secret's plaintext, or null when the tenant has no secret of that name; throws SealError when it does not open. */
export async function openSecret(ex: Executor, keyring: Keyring, tenantId: string, name: string): Promise<OpenedSecret | null> {
  const [row] = await ex
    .select({ kind: secrets.kind, sealed: secrets.sealed })
    .from(secrets)
    .where(and(eq(secrets.tenantId, tenantId), eq(secrets.name, name)));
  if (!row) return null;
  return { name, kind: row.kind, value: unseal(keyring, row.sealed, sealBinding.secret(tenantId, name)).toString("utf8") };
}
