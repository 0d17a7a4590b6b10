import { describe, expect, it } from "vitest";
import { DevKeysError, parseKeysFile, resolveDevKeys } from "./keys.js";

const counter = () => {
  let n = 0;
  return () => `gen${++n}`;
};

describe("resolveDevKeys", () => {
  it("generates every key on first start and asks for the file to be written", () => {
    const r = resolveDevKeys({}, {}, counter());
    expect(r.keys).toEqual({ bootstrapKey: "gen1", kek: "gen2", gatewaySigningKey: "gen3", controlPlaneSigningKey: "gen4", dataPlaneSigningKey: "gen5", logSigningKey: "gen6" });
    expect(r.fileContent).toEqual(r.keys);
    expect(Object.values(r.source)).toEqual(Array(6).fill("generated"));
  });

  it("reuses the file and writes nothing when it holds every key", () => {
    const stored = { bootstrapKey: "b", kek: "k", gatewaySigningKey: "g", controlPlaneSigningKey: "c", dataPlaneSigningKey: "d", logSigningKey: "l" };
    const r = resolveDevKeys({}, stored, counter());
    expect(r.keys).toEqual(stored);
    expect(r.fileContent).toBeNull();
  });

  it("lets env override the file, without persisting env values", () => {
    const stored = { bootstrapKey: "b", kek: "k", gatewaySigningKey: "g" };
    const r = resolveDevKeys({ CLAWEA_KEK: "envk", CLAWEA_BOOTSTRAP_KEY: "" }, stored, counter());
    expect(r.keys).toEqual({ bootstrapKey: "b", kek: "envk", gatewaySigningKey: "g", controlPlaneSigningKey: "gen1", dataPlaneSigningKey: "gen2", logSigningKey: "gen3" });
    expect(r.source.kek).toBe("env");
    expect(r.source.bootstrapKey).toBe("file");
    expect(r.fileContent).toEqual({ ...stored, controlPlaneSigningKey: "gen1", dataPlaneSigningKey: "gen2", logSigningKey: "gen3" });
  });

  it("generates nothing when env provides every key", () => {
    const env = { CLAWEA_BOOTSTRAP_KEY: "b", CLAWEA_KEK: "k", CLAWEA_GATEWAY_SIGNING_KEY: "g", CLAWEA_CONTROL_PLANE_SIGNING_KEY: "c", CLAWEA_DATA_PLANE_SIGNING_KEY: "d", CLAWEA_LOG_SIGNING_KEY: "l" };
    expect(resolveDevKeys(env, {}, counter()).fileContent).toBeNull();
  });
});

describe("parseKeysFile", () => {
  it("reads known fields and ignores others", () => {
    expect(parseKeysFile('{"kek":"k","note":1}', "f")).toEqual({ kek: "k" });
  });
  it("rejects what is not a keys file", () => {
    expect(() => parseKeysFile("nope", "f")).toThrow(DevKeysError);
    expect(() => parseKeysFile("[]", "f")).toThrow(/JSON object/);
    expect(() => parseKeysFile('{"kek":3}', "f")).toThrow(/kek must be a non-empty string/);
  });
});
