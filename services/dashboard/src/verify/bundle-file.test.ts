import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { BundleFileError, readBundleFile, readTar } from "./bundle-file.js";

async function tarOf(files: Record<string, string>): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => pack.on("end", () => resolve()));
  for (const [name, body] of Object.entries(files)) pack.entry({ name }, body);
  pack.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

const encode = (text: string) => new TextEncoder().encode(text);

describe("reading an uploaded bundle", () => {
  it("reads a JSON file as is", async () => {
    expect(await readBundleFile(encode('{"bundle_version":"1"}'))).toEqual({ bundle_version: "1" });
  });

  it("takes export_bundle.json out of the .tar.gz the API serves", async () => {
    const archive = await tarOf({ "artifacts/proof_bundle_envelope.json": "{}", "export_bundle.json": '{"export_id":"exp_1"}', "urm.json": "x".repeat(700) });
    expect([...readTar(archive).keys()]).toEqual(["artifacts/proof_bundle_envelope.json", "export_bundle.json", "urm.json"]);
    expect(readTar(archive).get("urm.json")?.length).toBe(700);
    expect(await readBundleFile(new Uint8Array(gzipSync(archive)))).toEqual({ export_id: "exp_1" });
  });

  it("says what is wrong with anything else", async () => {
    await expect(readBundleFile(encode("not json"))).rejects.toBeInstanceOf(BundleFileError);
    await expect(readBundleFile(new Uint8Array(gzipSync(await tarOf({ "other.json": "{}" }))))).rejects.toThrow(/export_bundle\.json/);
    await expect(readBundleFile(new Uint8Array([0x1f, 0x8b, 1, 2, 3]))).rejects.toThrow(/decompress/);
    const archive = await tarOf({ "export_bundle.json": `"${"x".repeat(700)}"` });
    expect(() => readTar(archive.subarray(0, 600))).toThrow(BundleFileError);
  });
});
