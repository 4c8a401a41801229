import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromiumLaunchOptions } from './support/browser.ts';
import { adminToken, baseURL, port } from './support/env.ts';

// The server serves the built dashboard from web/dist. `npm test` builds it first (turbo:
// @pinion/e2e#test depends on @pinion/web#build); running `playwright test` directly needs
// `npm run build -w web` beforehand.
const webDir = resolve(import.meta.dirname, '../web/dist');
if (!existsSync(resolve(webDir, 'index.html'))) {
  throw new Error(`${webDir} is not built: run \`npm run build -w web\` (npm test does).`);
}

export default defineConfig({
  testDir: './tests',
  // Every test makes its own data with unique ids, so tests run in parallel without cleanup.
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // No retries: a test that passes only the second time is a bug to find, not to hide.
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() },
    },
  ],
  webServer: {
    command: 'node ../server/src/main.ts',
    url: `${baseURL}/readyz`,
    env: {
      PORT: String(port),
      PINION_DATA_DIR: 'memory://',
      PINION_ADMIN_TOKEN: adminToken,
      PINION_WEB_DIR: webDir,
      LOG_LEVEL: 'warn',
    },
    // Always a fresh server: an old one on this port could hold another token or another build.
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
