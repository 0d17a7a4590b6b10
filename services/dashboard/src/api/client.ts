/**
 * The dashboard's one way to the API: the typed SDK (openapi-fetch) on the dashboard's own origin with
 * the signed-in key as a bearer token, plus authenticated downloads. Any 401 ends the session.
 */
import { createClaweaClient, type ClaweaClient } from "@clawea/sdk";
import { problemFromResponse, problemOf, type Problem } from "./problem.js";

export interface Api {
  client: ClaweaClient;
  /** GET a file with the key; the Blob and the file name the server suggests. */
  download(path: string, fallbackName: string): Promise<{ blob: Blob; filename: string }>;
}

function filenameOf(response: Response, fallback: string): string {
  const disposition = response.headers.get("content-disposition") ?? "";
  const match = /filename="([^"]+)"/.exec(disposition);
  return match?.[1] ?? fallback;
}

export function createApi(token: string, onUnauthorized: (problem: Problem) => void, origin = window.location.origin): Api {
  const client = createClaweaClient({ baseUrl: origin, token });
  const watch401 = async (response: Response) => {
    if (response.status === 401) onUnauthorized(problemOf(await problemFromResponse(response.clone())));
  };
  client.use({
    async onResponse({ response }) {
      await watch401(response);
      return response;
    },
  });
  return {
    client,
    async download(path, fallbackName) {
      const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) {
        await watch401(response);
        throw await problemFromResponse(response);
      }
      return { blob: await response.blob(), filename: filenameOf(response, fallbackName) };
    },
  };
}
