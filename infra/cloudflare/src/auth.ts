/** Bearer-token check for the bridge: compares SHA-256 digests in constant time, so neither content nor length leaks through timing. */

const encoder = new TextEncoder();

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value)));
}

/** Whether `header` is exactly `Bearer <expected>`. An empty expected token never matches (a Worker deployed without its secret refuses everyone). */
export async function bearerMatches(header: string | null, expected: string | undefined): Promise<boolean> {
  if (expected === undefined || expected === "") return false;
  const presented = header !== null && header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
  const [a, b] = await Promise.all([digest(presented), digest(expected)]);
  let diff = presented === "" ? 1 : 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
