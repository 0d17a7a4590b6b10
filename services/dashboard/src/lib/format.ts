/** Display formats: UTC timestamps, shortened hashes, sizes, and the local-time inputs of the filters. */

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * `2026-03-01 14:05:09 UTC`: audit times read the same for everyone, whatever their time zone.
 * Tables say "(UTC)" once in the column header and leave the zone out of each cell.
 */
export function formatTimestamp(iso: string | null | undefined, withZone = true): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return withZone ? `${text} UTC` : text;
}

/** A measured quantity, grouped in thousands, at most `digits` decimals; a dash for none. */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** The first and last characters of a long hash or id, enough to tell rows apart; the full value goes in a title. */
export function shortHash(value: string | null | undefined, keep = 8): string {
  if (!value) return "—";
  return value.length <= keep * 2 + 1 ? value : `${value.slice(0, keep)}…${value.slice(-keep)}`;
}

export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined || !Number.isFinite(size)) return "—";
  if (size < 1024) return `${size} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `2026-03-01T14:05` (an `<input type="datetime-local">`, local time) to an RFC 3339 instant; "" when empty or invalid. */
export function localInputToIso(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

/** The reverse of `localInputToIso`, for filling the input from a URL. */
export function isoToLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `awaiting_approval` → `awaiting approval`. */
export function humanize(code: string): string {
  return code.replaceAll("_", " ");
}
