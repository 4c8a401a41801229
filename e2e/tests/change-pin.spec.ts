import type { Page } from '@playwright/test';
import { uniqueId } from '../support/builders.ts';
import { adminActor, adminToken } from '../support/env.ts';
import { expect, test } from '../support/fixtures.ts';

const pinHistoryRows = (page: Page) =>
  page.getByRole('table', { name: 'Pin history' }).getByRole('row');

test('a release engineer signs in, finds a site, changes its pin and sees it in the history', async ({
  page,
  api,
}) => {
  const site = await api.createSite({ name: 'Checkout EU', version: 'v1' });
  const reason = `canary for ${uniqueId('OPS')}`;

  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('API token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Signed in as')).toContainText(adminActor);
  await expect(page.getByLabel('Signed in as')).toContainText('admin');

  await page.getByRole('searchbox', { name: 'Search' }).fill(site.key);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${site.key}`));
  const sites = page.getByRole('table', { name: 'Sites' });
  await expect(sites.getByRole('row')).toHaveCount(2); // header + the one match
  await sites.getByRole('link', { name: site.key }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout EU');
  await expect(page.getByLabel('Pinned version')).toHaveText('v1');
  const pinForm = page.getByRole('form', { name: 'Change pin' });
  await pinForm.getByLabel('New version').selectOption('v2');
  await pinForm.getByLabel('Reason').fill(reason);
  await pinForm.getByRole('button', { name: 'Change pin' }).click();

  await expect(page.getByText('Pinned to v2 (was v1).')).toBeVisible();
  await expect(page.getByLabel('Pinned version')).toHaveText('v2');
  const newest = pinHistoryRows(page).nth(1);
  await expect(newest).toContainText('v1 → v2');
  await expect(newest).toContainText(reason);
  await expect(newest).toContainText(adminActor);
  await expect(pinHistoryRows(page)).toHaveCount(3); // header, this change, "site created"

  // Back to the same filtered list, which shows the new pin rather than a cached old one.
  await page.getByRole('link', { name: '← Sites' }).click();
  await expect(page).toHaveURL(new RegExp(`/sites\\?q=${site.key}$`));
  await expect(sites.getByRole('row', { name: new RegExp(site.key) })).toContainText('v2');
});

test("a pin changed by someone else meanwhile is refused with the server's explanation", async ({
  signedInPage: page,
  api,
}) => {
  const site = await api.createSite({ version: 'v1' });
  await page.goto(`/sites/${site.key}`);
  await expect(page.getByLabel('Pinned version')).toHaveText('v1');

  // Someone else moves the pin while this page still shows v1.
  await api.setPin(site.key, { version: 'v3', reason: 'hotfix elsewhere', expectedVersion: 'v1' });

  const pinForm = page.getByRole('form', { name: 'Change pin' });
  await pinForm.getByLabel('New version').selectOption('v2');
  await pinForm.getByLabel('Reason').fill('upgrade decided on a stale view');
  await pinForm.getByRole('button', { name: 'Change pin' }).click();

  const alert = pinForm.getByRole('alert');
  await expect(alert).toContainText('The pin changed since you loaded this page');
  await expect(alert).toContainText(
    `site '${site.key}' is pinned to v3, not v1 as expected; reload it and decide again`,
  );
  // The page now shows the real pin, and nothing was written on top of the other change.
  await expect(page.getByLabel('Pinned version')).toHaveText('v3');
  await expect(pinHistoryRows(page).nth(1)).toContainText('v1 → v3');
  await expect(pinHistoryRows(page).nth(1)).toContainText('hotfix elsewhere');
});
