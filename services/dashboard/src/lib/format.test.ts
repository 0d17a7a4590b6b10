import { describe, expect, it } from "vitest";
import { formatBytes, formatNumber, formatTimestamp, humanize, isoToLocalInput, localInputToIso, shortHash } from "./format.js";

describe("formatting", () => {
  it("shows instants in UTC, and a dash for none", () => {
    expect(formatTimestamp("2026-03-01T14:05:09.123Z")).toBe("2026-03-01 14:05:09 UTC");
    expect(formatTimestamp("2026-03-01T23:30:00-02:00")).toBe("2026-03-02 01:30:00 UTC");
    expect(formatTimestamp(null)).toBe("—");
    expect(formatTimestamp("not a date")).toBe("not a date");
    expect(formatTimestamp("2026-03-01T14:05:09Z", false)).toBe("2026-03-01 14:05:09");
  });

  it("shortens long hashes only", () => {
    expect(shortHash("abcdefghijklmnopqrstuvwxyz0123456789")).toBe("abcdefgh…23456789");
    expect(shortHash("run_1")).toBe("run_1");
    expect(shortHash("abcdefghijklmnopq")).toBe("abcdefghijklmnopq");
    expect(shortHash(null)).toBe("—");
  });

  it("sizes in binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MiB");
    expect(formatBytes(undefined)).toBe("—");
  });

  it("round-trips the filters' local-time inputs through RFC 3339", () => {
    const iso = localInputToIso("2026-03-01T14:05");
    expect(iso).toMatch(/^2026-03-0[12]T\d\d:05:00\.000Z$/);
    expect(isoToLocalInput(iso)).toBe("2026-03-01T14:05");
    expect(localInputToIso("")).toBe("");
    expect(localInputToIso("garbage")).toBe("");
    expect(isoToLocalInput("garbage")).toBe("");
  });

  it("rounds measured quantities and groups thousands", () => {
    expect(formatNumber(1215.426834)).toBe("1,215");
    expect(formatNumber(0.40625, 2)).toBe("0.41");
    expect(formatNumber(8286)).toBe("8,286");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
  });

  it("humanizes codes", () => {
    expect(humanize("awaiting_approval")).toBe("awaiting approval");
  });
});
