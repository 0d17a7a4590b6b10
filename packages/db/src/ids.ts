/** Prefixed, time-ordered ids (`agt_0193…`): sortable, so cursor pagination can page by id alone. */
import { uuidv7 } from "uuidv7";

export const ID_PREFIXES = {
  tenant: "ten",
  apiKey: "key",
  template: "tpl",
  agent: "agt",
  policyAssignment: "pas",
  run: "run",
  event: "evt",
  approval: "apr",
  grant: "grt",
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${uuidv7().replaceAll("-", "")}`;
}

const ID_RE = /^[a-z]{3}_[0-9a-f]{32}$/;

/** True when `value` has the shape of an id of `kind`; built-in template ids are readable names instead. */
export function isId(kind: IdKind, value: string): boolean {
  return ID_RE.test(value) && value.startsWith(`${ID_PREFIXES[kind]}_`);
}
