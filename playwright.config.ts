import { existsSync } from "node:fs";
import { chromium, defineConfig } from "@playwright/test";

/** Playwright's own Chromium when it is installed (`npx playwright install chromium`), else the system one. */
const bundled = chromium.executablePath();
const executablePath = existsSync(bundled) ? bundled : "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // One app, one platform, two cores: specs run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Uploads and extractions are waited for on rows and events, with their own longer timeouts.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: "http://localhost:3000",
    // There are no retries (one app, one platform), so keep the trace of every failed test instead.
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    // A throw-away in-memory platform on 127.0.0.1:54321 and the built app on :3000 (built first if needed).
    // With a test-sized /tmp per function worker (e2e/functions.env), so a zip of a few dozen MB already
    // takes several segments, as a multi-GB one does on the hosted plan.
    command: "node --import tsx scripts/start.ts --memory --functions-env e2e/functions.env --function-tmp-bytes 12582912 --guest-sign-ins-per-hour 1000",
    url: "http://localhost:3000",
    timeout: 5 * 60_000,
    reuseExistingServer: !process.env.CI,
    stdout: process.env.SHOEBOX_E2E_LOGS ? "pipe" : "ignore",
    stderr: "pipe",
    // SIGTERM lets start.ts stop the app and close the platform.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
