import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readBody, transportFailureCode } from "./model-proxy.upstream.js";

describe("readBody", () => {
  it("joins a body's chunks in order", async () => {
    const body = Readable.from([Buffer.from("ab"), Buffer.from("cd"), Buffer.from("e")], { objectMode: false });
    expect((await readBody(body, 5)).toString()).toBe("abcde");
  });

  it("refuses a body over the limit, and stops reading it so the provider stops sending", async () => {
    let pulled = 0;
    const body = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 120));
      },
    });
    const error = await readBody(body, 4096).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "CLAWEA_UPSTREAM_TOO_LARGE" });
    expect(body.destroyed).toBe(true);
    expect(pulled).toBeLessThan(10);
    // An answer too large is a failure of the provider, not a timeout.
    expect(transportFailureCode(error)).toBe("UPSTREAM_ERROR");
  });

  it("passes on the stream's own error", async () => {
    const body = new Readable({ read() {} });
    const reading = readBody(body, 1024);
    body.destroy(Object.assign(new Error("socket hang up"), { code: "UND_ERR_SOCKET" }));
    await expect(reading).rejects.toMatchObject({ code: "UND_ERR_SOCKET" });
  });
});

describe("transportFailureCode", () => {
  it.each([
    ["UND_ERR_HEADERS_TIMEOUT", "UPSTREAM_TIMEOUT"],
    ["UND_ERR_BODY_TIMEOUT", "UPSTREAM_TIMEOUT"],
    ["UND_ERR_CONNECT_TIMEOUT", "UPSTREAM_TIMEOUT"],
    ["ECONNREFUSED", "UPSTREAM_ERROR"],
    [undefined, "UPSTREAM_ERROR"],
  ])("%s is %s", (code, expected) => {
    expect(transportFailureCode(Object.assign(new Error("x"), { code }))).toBe(expected);
  });

  it("names anything that is not an error an upstream error", () => {
    expect(transportFailureCode(null)).toBe("UPSTREAM_ERROR");
    expect(transportFailureCode("boom")).toBe("UPSTREAM_ERROR");
  });
});
