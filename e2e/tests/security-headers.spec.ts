import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';

/** Reports every Content-Security-Policy violation the page sees, from the page itself. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('every page of the dashboard runs under its Content-Security-Policy', async ({
  signedInPage: page,
  api,
}) => {
  const violations = await watchViolations(page);
  const site = await api.createSite({ version: 'v1' });

  const first = await page.goto('/sites');
  const headers = first!.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  await expect(page.getByRole('table', { name: 'Sites' })).toBeVisible();

  await page.goto(`/sites/${site.key}`);
  await expect(page.getByLabel('Pinned version')).toHaveText('v1');
  await page.goto('/rollouts');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.goto('/rollouts/new');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  expect(violations).toEqual([]);
});

test('the dashboard cannot be framed by another page', async ({ page }) => {
  await page.goto('/sign-in');
  const framed = await page.evaluate(async () => {
    const frame = document.createElement('iframe');
    frame.src = '/sign-in';
    document.body.append(frame);
    await new Promise((resolve) => frame.addEventListener('load', resolve));
    try {
      return Boolean(frame.contentDocument?.getElementById('root'));
    } catch {
      return false;
    }
  });
  expect(framed).toBe(false);
});
