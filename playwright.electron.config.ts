// Playwright config for the desktop app (Playwright's _electron). Kept apart from playwright.config.ts,
// which drives the UI in Chromium against the browser host (tests/e2e). Run: npx playwright test -c playwright.electron.config.ts
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/electron',
  outputDir: 'test-results/electron',
  // One Electron app at a time: machines here have two cores.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
});
