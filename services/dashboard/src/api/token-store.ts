/** The signed-in API key, kept for this browser tab only (sessionStorage): closing the tab signs out. */

const KEY = "clawea.dashboard.apiKey";

export function loadToken(storage: Pick<Storage, "getItem"> = sessionStorage): string | null {
  const token = storage.getItem(KEY);
  return token && token.trim() ? token : null;
}

export function saveToken(token: string, storage: Pick<Storage, "setItem"> = sessionStorage): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Pick<Storage, "removeItem"> = sessionStorage): void {
  storage.removeItem(KEY);
}

/** `key_…` part of a `<key id>.<secret>` token: safe to show, unlike the secret. */
export function keyIdOf(token: string): string {
  return token.split(".")[0] ?? "";
}
