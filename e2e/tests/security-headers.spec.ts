import { baseURL } from '../support/env.ts';
import { expect, test } from '../support/fixtures.ts';

// The `page` fixture fails a test on any Content-Security-Policy violation (support/csp.ts).
test('every page of the dashboard runs under its Content-Security-Policy', async ({
  signedInPage: page,
  api,
}) => {
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
});

test('the dashboard cannot be framed by another page', async ({ browser }) => {
  // A page of its own: the refused frame is a CSP violation, which the `page` fixture fails on.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
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
  await context.close();
  expect(framed).toBe(false);
});
