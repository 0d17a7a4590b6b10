/** The signed-in key and the API client made with it, for every page. */
import { createContext, useContext } from "react";
import type { Api } from "../api/client.js";

export interface Session {
  keyId: string;
  api: Api;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}
