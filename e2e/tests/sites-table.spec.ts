import { uniqueId } from '../support/builders.ts';
import { expect, test } from '../support/fixtures.ts';

test('label filters narrow the table, pages follow the server, and the view lives in the URL', async ({
  signedInPage: page,
  api,
}) => {
  const batch = uniqueId('batch');
  // 27 sites of this batch: 26 gold (more than one page of 25) and 1 silver.
  await api.importSites(
    Array.from({ length: 27 }, (_, i) => ({
      key: `${batch}-${String(i).padStart(2, '0')}`,
      name: `Batch site ${i}`,
      labels: { batch, tier: i === 26 ? 'silver' : 'gold' },
    })),
  );
  const rows = page.getByRole('table', { name: 'Sites' }).locator('tbody tr');
  const summary = page.getByRole('navigation', { name: 'Pagination' }).getByRole('status');

  await page.goto('/sites');
  await page.getByLabel('Label', { exact: true }).fill(`batch=${batch}`);
  await page.getByRole('button', { name: 'Add label' }).click();
  await expect(summary).toHaveText('1–25 of 27 sites');
  await expect(rows).toHaveCount(25);

  await page.getByLabel('Label', { exact: true }).fill('tier=silver');
  await page.getByRole('button', { name: 'Add label' }).click();
  await expect(summary).toHaveText('1–1 of 1 sites');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${batch}-26`);

  await page.getByRole('button', { name: 'Remove label filter tier=silver' }).click();
  await page.getByLabel('Label', { exact: true }).fill('tier=gold');
  await page.getByRole('button', { name: 'Add label' }).click();
  await expect(summary).toHaveText('1–25 of 26 sites');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(summary).toHaveText('26–26 of 26 sites');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${batch}-25`);

  // The URL is the view: opening it afresh shows the same page of the same filter.
  const shared = page.url();
  expect(new URL(shared).searchParams.getAll('label')).toEqual([`batch=${batch}`, 'tier=gold']);
  expect(new URL(shared).searchParams.get('page')).toBe('2');
  await page.goto('about:blank');
  await page.goto(shared);
  await expect(summary).toHaveText('26–26 of 26 sites');
  await expect(page.getByRole('list', { name: 'Label filters' })).toContainText('tier=gold');
});
