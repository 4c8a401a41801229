import { uniqueId } from '../support/builders.ts';
import { expect, test } from '../support/fixtures.ts';

// The dialogs that ask for a reason are the browser's own modal <dialog>. What only a browser
// can show: focus goes in, stays in, Escape closes, and focus comes back to the button.
test('a reason dialog takes the keyboard, keeps it, and gives it back on Escape', async ({
  signedInPage: page,
  api,
}) => {
  const batch = uniqueId('dialog');
  await api.importSites([
    { key: `${batch}-1`, name: `Site ${batch}-1`, labels: { batch }, version: 'v1' },
  ]);
  const rollout = await api.planRollout({ targetVersion: 'v2', selector: `batch=${batch}` });

  await page.goto(`/rollouts/${rollout.id}`);
  const opener = page.getByRole('button', { name: 'Abort plan' });
  await opener.focus();
  await page.keyboard.press('Enter');

  const dialog = page.getByRole('dialog', { name: `Abort ${rollout.ref}` });
  await expect(dialog.getByLabel('Reason')).toBeFocused();

  // Tab goes round the dialog's own controls (the browser may pass through its own chrome, the
  // document, on the way round), never to the page behind it.
  const focusIsInside = () =>
    dialog.evaluate(
      (d) => document.activeElement === document.body || d.contains(document.activeElement),
    );
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    expect(await focusIsInside()).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await focusIsInside()).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
  // Escape asked nothing of the server: the plan is still there.
  expect(await api.getRollout(rollout.id)).toMatchObject({ state: 'planned' });
});
