// The gateway app's own routes: /healthz says whether the push channel is live.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type TestGateway } from "./gateway.test-support.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw.close();
});

describe("GET /healthz", () => {
  it("is ok, and says the push channel is live once it has subscribed", async () => {
    await vi.waitFor(() => expect(gw.push.live).toBe(true), { timeout: 5_000, interval: 10 });
    const res = await fetch(`${gw.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", push: "live" });
  });
});
