import { expect, test as base } from '@playwright/test';
import type { Page } from '@playwright/test';
import { PinionApi } from './builders.ts';
import { watchCspViolations } from './csp.ts';
import { adminToken, baseURL } from './env.ts';

type Fixtures = {
  /** The admin API, for making test data. */
  api: PinionApi;
  /**
   * A page already signed in as admin: the token is put where the dashboard keeps it
   * (sessionStorage) before any page script runs. Signing in through the form is tested once,
   * in the main journey.
   */
  signedInPage: Page;
};

export const test = base.extend<Fixtures>({
  // Every page of every test runs under the server's Content-Security-Policy: a violation fails it.
  page: async ({ page }, use) => {
    const violations = await watchCspViolations(page);
    await use(page);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
  api: async ({ playwright }, use) => {
    const request = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${adminToken}` },
    });
    await use(new PinionApi(request));
    await request.dispose();
  },
  signedInPage: async ({ page }, use) => {
    await page.addInitScript((token) => {
      window.sessionStorage.setItem('pinion.token', token);
    }, adminToken);
    await use(page);
  },
});

export { expect };
