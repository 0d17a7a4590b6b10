// End to end: the real platform (control plane serving the built dashboard, gateway, data plane,
// scripted model) on a fresh database, driven in Debian's Chromium through playwright-core. An auditor
// finds a completed run, sees it VERIFIED PASS, downloads its bundle and verifies it in the browser; a
// security key approves a pending run from the inbox and watches it complete.
//
// The journey helpers are imported by path: `@clawea/journey` cannot be a dependency of this package,
// because it depends on the control plane, which depends on this package (for its built files).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap } from "@clawea/sdk";
import { journeyTask, runJourney, waitForRunState, type JourneyResult } from "../../../packages/journey/src/journey.js";
import { waitFor } from "../../../packages/journey/src/tenant-setup.js";
import { startTargetServer, type TargetServer } from "../../../packages/journey/src/target-server.js";
import { ROOT, startTestPlatform, type TestPlatform } from "../../../packages/journey/src/test-platform.test-support.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const REDIS_DB = 12;
// `UPDATE_SCREENSHOTS=1` refreshes the committed screenshots; otherwise they go to a temporary folder.
const workDir = mkdtempSync(join(tmpdir(), "clawea-dashboard-e2e-"));
const screenshotDir = process.env.UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs/screenshots") : join(workDir, "screenshots");

let platform: TestPlatform;
let target: TargetServer;
let context: BrowserContext;
let page: Page;
let journey: JourneyResult;
let pendingRunId: string;
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, "services/dashboard/dist/index.html"))) throw new Error("the dashboard is not built: run `pnpm --filter @clawea/dashboard build` (turbo does it before this test)");
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(screenshotDir, { recursive: true });
  // Queue names in Redis are fixed, and the test platform isolates only PostgreSQL and ports: a Redis
  // database of its own keeps another platform on this machine (a dev stack, the journey's own
  // tests running beside this one) from taking this platform's jobs.
  process.env.REDIS_URL = `${(process.env.REDIS_URL ?? "redis://127.0.0.1:6379").replace(/\/\d+$/, "")}/${REDIS_DB}`;
  [platform, target] = await Promise.all([startTestPlatform(), startTargetServer()]);
  context = await chromium.launchPersistentContext(join(workDir, "chromium-profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 1366, height: 860 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => browserErrors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    // Failed requests are judged below, with their URL; Chromium's console line about them has none.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) browserErrors.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    // 401 and 403 are answers the test provokes on purpose (and asserts how the page shows them).
    if (response.status() >= 400 && response.status() !== 401 && response.status() !== 403) browserErrors.push(`${response.status()} ${response.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await target?.close();
  await platform?.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function signIn(token: string): Promise<void> {
  await page.goto(`${platform.url}/dashboard/`);
  await page.getByLabel("API key").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

async function signOut(): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("API key").waitFor();
}

function approvalCard(runId: string): Locator {
  return page.locator(`article[data-run-id="${runId}"]`);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
}

describe("the audit dashboard on the real platform", () => {
  it("runs a journey to evidence and leaves a second run awaiting approval", async () => {
    const narration: string[] = [];
    const cli = [process.execPath, join(ROOT, "packages/cli/dist/main.js")];
    journey = await runJourney({ baseUrl: platform.url, bootstrapKey: platform.bootstrapKey, target, outDir: join(workDir, "journey"), cli, say: (line) => narration.push(line), tenantName: "acme" }).catch((error: unknown) => {
      throw new Error(`the journey failed: ${String(error)}\n${narration.join("\n")}\n--- platform output ---\n${platform.output().slice(-6000)}`);
    });
    expect(journey.verdict).toBe("PASS");
    const second = unwrap(
      await journey.tenant.developer.POST("/v1/agents/{agent_id}/runs", { params: { path: { agent_id: journey.tenant.agentId } }, body: { task: journeyTask(target.url), mission_id: "release-1.1" } }),
    );
    pendingRunId = second.id;
    await waitForRunState(journey.tenant, pendingRunId, ["awaiting_approval"], 60_000);
    await waitFor("the approval card", async () => unwrap(await journey.tenant.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: pendingRunId } } })), (run) => run.approval !== null, 30_000);
  }, 240_000);

  it("refuses a bad key with its reason code", async () => {
    await page.goto(`${platform.url}/dashboard/runs`);
    await page.getByLabel("API key").fill("key_00000000000000000000000000000000.wrong");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("API_KEY_INVALID");
  });

  it("auditor: finds the completed run by state, sees VERIFIED PASS, and verifies its downloaded bundle in the browser", async () => {
    const runId = journey.runId;
    await signIn(journey.tenant.tokens.auditor);
    const rows = page.locator("tbody tr[data-run-id]");
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot("runs-list.png");

    await page.getByLabel("State").selectOption("completed");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/state=completed/);
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().getAttribute("data-run-id")).toBe(runId);

    await page.getByRole("link", { name: runId }).click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toContain("VERIFIED PASS");
    const headingText = await page.getByRole("heading", { level: 1 }).textContent();
    expect(headingText).toContain(runId);
    // A new page puts keyboard focus on its heading.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(await page.locator("#what-changed ~ .table-wrap").textContent()).toContain("notes/release-1.0.md");
    expect(await page.locator("section[aria-labelledby=approval]").textContent()).toContain("approve");
    await screenshot("run-detail.png");

    // Both downloads go through the Blob link with the key in the Authorization header.
    const saved: Record<string, string> = {};
    for (const [format, label] of [["json", "Download export bundle (JSON)"], ["tar.gz", "Download export bundle (.tar.gz)"]] as const) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: label }).click()]);
      expect(download.suggestedFilename()).toBe(`${runId}.export.${format}`);
      saved[format] = join(workDir, download.suggestedFilename());
      await download.saveAs(saved[format]);
    }
    // What the browser saved is byte for byte what the API serves.
    expect(readFileSync(saved.json!, "utf8")).toBe(readFileSync(journey.files.exportJson, "utf8"));

    await page.getByRole("link", { name: "Verify a bundle" }).click();
    await expect.poll(() => page.getByLabel(/Trust anchors/).inputValue()).toContain("allowed_signer_dids");
    const verify = async (file: string) => {
      await page.getByLabel("Export bundle file").setInputFiles(file);
      await page.getByRole("button", { name: "Verify in this browser" }).click();
      return page.locator("#verification-result");
    };
    for (const file of [saved.json!, saved["tar.gz"]!]) {
      const result = await verify(file);
      await expect.poll(() => result.textContent()).toContain("Bundle VALID");
      expect(await page.locator(".verdict").last().textContent()).toContain("OK");
    }
    await page.getByRole("button", { name: "Cross-check with the control plane" }).click();
    await expect.poll(() => page.locator(".cross-check").textContent()).toContain("valid");
    await screenshot("verify-bundle.png");

    // The same verifier says no to a tampered copy, with its reason codes.
    const tampered = join(workDir, "tampered.export.json");
    writeFileSync(tampered, readFileSync(saved.json!, "utf8").replace("release-1.0", "release-2.0"));
    const result = await verify(tampered);
    await expect.poll(() => result.textContent()).toContain("Bundle INVALID");
    expect(await page.locator(".verdict").last().textContent()).toMatch(/HASH_MISMATCH|SIGNATURE_INVALID/);

    await page.getByRole("link", { name: "Fleet" }).click();
    await expect.poll(() => page.locator("#fleet-agents ~ .table-wrap tbody").textContent()).toContain("release-bot");
    await expect.poll(() => page.locator("#fleet-usage ~ .table-wrap").count()).toBe(1);
    await screenshot("fleet.png");

    // An auditor may look at the inbox but not decide: the refusal names its reason code.
    await page.getByRole("link", { name: "Approvals" }).click();
    await approvalCard(pendingRunId).getByRole("button", { name: "Approve once" }).click();
    await expect.poll(() => approvalCard(pendingRunId).getByRole("alert").textContent()).toContain("APPROVER_NOT_PERMITTED");
    await signOut();
  }, 60_000);

  it("security: approves the pending run from the inbox and sees it complete", async () => {
    await signIn(journey.tenant.tokens.approver);
    await page.getByRole("link", { name: "Approvals" }).click();
    const card = approvalCard(pendingRunId);
    await card.waitFor();
    expect(await card.textContent()).toContain("network_egress");
    await screenshot("approvals-inbox.png");

    // By keyboard, as anyone may decide.
    await card.getByRole("button", { name: "Approve once" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => card.count()).toBe(0);
    await expect.poll(() => page.getByTestId("decision-status").textContent()).toBe(`Approved once: run ${pendingRunId}`);

    await page.goto(`${platform.url}/dashboard/runs/${pendingRunId}`);
    // The page refreshes itself while the run is active.
    await expect.poll(() => page.getByTestId("verdict").textContent(), { timeout: 60_000, interval: 500 }).toContain("VERIFIED PASS");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("completed");
    const approval = await page.locator("section[aria-labelledby=approval]").textContent();
    expect(approval).toContain("dashboard");
    const run = unwrap(await journey.tenant.auditor.GET("/v1/audit/runs/{run_id}", { params: { path: { run_id: pendingRunId } } }));
    expect(run.approval).toMatchObject({ status: "approved", decided_via: "dashboard" });
    expect(browserErrors).toEqual([]);
  }, 90_000);
});
