import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Site, Version } from '@/lib/api-types';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { PinForm } from './pin-form';

const versions: Version[] = [
  { name: 'v1', status: 'active', source: 'config', isDefault: true, siteCount: 10 },
  { name: 'v2', status: 'active', source: 'config', isDefault: false, siteCount: 3 },
  { name: 'v0', status: 'retired', source: 'config', isDefault: false, siteCount: 0 },
];

const site = (pinnedVersion: string): Site => ({
  key: 'shop-1',
  name: 'Shop 1',
  labels: {},
  pinnedVersion,
  paused: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

function renderForm() {
  return renderWithProviders(<PinForm siteKey="shop-1" currentVersion="v1" versions={versions} />);
}

describe('PinForm', () => {
  it('sends the chosen version, the reason and the pin on screen as expectedVersion', async () => {
    const { requests } = fakeServer(() => json({ site: site('v2'), changed: true }));
    const user = userEvent.setup();
    renderForm();

    await user.selectOptions(screen.getByLabelText('New version'), 'v2');
    await user.type(screen.getByLabelText('Reason'), '  canary for OPS-42  ');
    await user.click(screen.getByRole('button', { name: 'Change pin' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Pinned to v2 (was v1).');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'PUT',
      url: '/api/v1/sites/shop-1/pin',
      body: { version: 'v2', reason: 'canary for OPS-42', expectedVersion: 'v1' },
    });
  });

  it('requires a reason and sends nothing without one', async () => {
    const { requests } = fakeServer(() => json({ site: site('v2'), changed: true }));
    const user = userEvent.setup();
    renderForm();

    await user.selectOptions(screen.getByLabelText('New version'), 'v2');
    await user.type(screen.getByLabelText('Reason'), '   ');
    await user.click(screen.getByRole('button', { name: 'Change pin' }));

    expect(screen.getByText('Give a reason: it is kept in the pin history.')).toBeVisible();
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toHaveLength(0);
  });

  it('offers retired versions and the current pin only as disabled options', () => {
    renderForm();
    expect(screen.getByRole('option', { name: 'v0 (retired)' })).toBeDisabled();
    expect(screen.getByRole('option', { name: 'v1 (current, default)' })).toBeDisabled();
    expect(screen.getByRole('option', { name: 'v2' })).toBeEnabled();
  });

  it("shows the server's message when the pin changed since the page loaded", async () => {
    const message = "site 'shop-1' is pinned to v3, not v1 as expected; reload it and decide again";
    fakeServer(() => json({ code: 'pin_changed', message, details: [] }, 409));
    const user = userEvent.setup();
    renderForm();

    await user.selectOptions(screen.getByLabelText('New version'), 'v2');
    await user.type(screen.getByLabelText('Reason'), 'upgrade');
    await user.click(screen.getByRole('button', { name: 'Change pin' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The pin changed since you loaded this page');
    expect(alert).toHaveTextContent(message);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    // The choice was made against a pin that no longer holds: it must be made again.
    expect(screen.getByLabelText('New version')).toHaveValue('');
    expect(screen.getByLabelText('Reason')).toHaveValue('upgrade');
  });

  it('is read-only for a role that may not change pins', () => {
    renderWithProviders(
      <PinForm
        siteKey="shop-1"
        currentVersion="v1"
        versions={versions}
        disabledReason="Changing pins needs the release role."
      />,
    );
    expect(screen.getByRole('button', { name: 'Change pin' })).toBeDisabled();
    expect(screen.getByText('Changing pins needs the release role.')).toBeVisible();
  });
});
