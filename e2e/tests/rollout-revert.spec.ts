import { uniqueId } from '../support/builders.ts';
import { expect, test } from '../support/fixtures.ts';

test('an on-call engineer reverts a running rollout in one action; only its sites go back', async ({
  signedInPage: page,
  api,
}) => {
  const batch = uniqueId('oncall');
  // The cohort: five enterprise sites on two different versions, so "back to where it was" is
  // not simply "back to v1". Beside them, sites of the same batch the rollout must not touch.
  const before: Record<string, string> = {
    [`${batch}-e1`]: 'v1',
    [`${batch}-e2`]: 'v1',
    [`${batch}-e3`]: 'v1',
    [`${batch}-e4`]: 'v3',
    [`${batch}-e5`]: 'v3',
  };
  const outside: Record<string, string> = { [`${batch}-s1`]: 'v1', [`${batch}-s2`]: 'v3' };
  const tierOf = (key: string) => (key in before ? 'enterprise' : 'starter');
  await api.importSites(
    Object.entries({ ...before, ...outside }).map(([key, version]) => ({
      key,
      name: `Site ${key}`,
      labels: { batch, tier: tierOf(key) },
      version,
    })),
  );
  const cohort = Object.keys(before);
  const reason = `checkout errors after v2, ${uniqueId('INC')}`;

  // Plan on the dashboard: four canary sites, then the rest; a long bake keeps it running.
  await page.goto('/rollouts');
  await page.getByRole('link', { name: 'Plan rollout' }).click();
  const plan = page.getByRole('form', { name: 'Plan rollout' });
  await plan.getByLabel('Target version').selectOption('v2');
  await plan.getByLabel('Selector').fill(`batch=${batch},tier=enterprise`);
  await expect(plan.getByRole('status', { name: 'Sites preview' })).toContainText('5 sites');
  await plan.getByLabel('Stage 1', { exact: true }).fill('4');
  await plan.getByRole('button', { name: 'Remove stage 2' }).click(); // 10%
  await plan.getByRole('button', { name: 'Remove stage 2' }).click(); // 50%
  await plan.getByLabel('Canary analysis').uncheck();
  await plan.getByRole('button', { name: 'Plan rollout' }).click();

  await expect(page).toHaveURL(/\/rollouts\/\d+$/);
  const id = Number(/\/rollouts\/(\d+)$/.exec(page.url())![1]);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`r-${id} to v2`);

  // The blast radius says what will change; starting means typing its count and fingerprint.
  const blast = page.getByRole('region', { name: 'Blast radius' });
  await expect(blast.getByLabel('Sites to change')).toHaveText('5');
  const byVersion = blast.getByRole('table', { name: 'Sites by current version' });
  await expect(byVersion.getByRole('row', { name: 'v1 → v2' })).toContainText('3');
  await expect(byVersion.getByRole('row', { name: 'v3 → v2' })).toContainText('2');
  const start = page.getByRole('form', { name: 'Start rollout' });
  await start.getByLabel('Confirm site count').fill('5');
  await start
    .getByLabel('Confirm fingerprint')
    .fill(await blast.getByLabel('Fingerprint').innerText());
  await start.getByRole('button', { name: `Start r-${id}` }).click();

  // Running: the four canaries are on v2 (both from v1 and from v3), the fifth not yet.
  await expect(page.getByText('stage 1 of 2, baking')).toBeVisible();
  const applied = (await api.rolloutTargets(id)).filter((t) => t.status === 'applied');
  expect(applied).toHaveLength(4);
  expect(new Set(applied.map((t) => t.fromVersion))).toEqual(new Set(['v1', 'v3']));
  for (const { siteKey } of applied) expect((await api.getSite(siteKey)).pinnedVersion).toBe('v2');

  // One action: Revert, a reason, confirm.
  await page.getByRole('button', { name: 'Revert', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Revert r-${id}` });
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: `Revert r-${id}` }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Reverted' })).toHaveText(
    /Reverted 4 sites to their previous version\./,
  );
  await expect(page.getByLabel('End reason')).toHaveText(`Reverted: ${reason}`);
  await expect(page.getByRole('button', { name: 'Revert', exact: true })).toBeHidden();
  // What comes next for on-call: repairing the data the bad version wrote.
  await expect(page.getByRole('button', { name: 'Repair sites' })).toBeVisible();

  // The server agrees: reverted, and every cohort site is on its own pre-rollout version.
  expect(await api.getRollout(id)).toMatchObject({ state: 'reverted', endReason: reason });
  const targets = await api.rolloutTargets(id);
  expect(targets.map((t) => t.siteKey).sort()).toEqual(cohort);
  for (const target of targets) {
    expect(target.fromVersion).toBe(before[target.siteKey]);
    expect((await api.getSite(target.siteKey)).pinnedVersion).toBe(before[target.siteKey]);
  }
  for (const { siteKey } of applied) {
    const [last] = await api.pinHistory(siteKey);
    expect(last).toMatchObject({ fromVersion: 'v2', toVersion: before[siteKey], rolloutId: id });
    expect(last!.reason).toContain(reason);
  }
  // The site the rollout never reached was never touched, neither by the rollout nor the revert.
  const [unreached] = cohort.filter((key) => !applied.some((t) => t.siteKey === key));
  expect(await api.pinHistory(unreached!)).toHaveLength(1);

  // Nothing outside the cohort changed: same pins, and no change in their histories at all.
  for (const [key, version] of Object.entries(outside)) {
    expect((await api.getSite(key)).pinnedVersion).toBe(version);
    expect(await api.pinHistory(key)).toEqual([
      expect.objectContaining({ fromVersion: null, toVersion: version }),
    ]);
  }
});
