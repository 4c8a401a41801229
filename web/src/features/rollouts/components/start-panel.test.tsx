import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { aRollout } from '@/testing/data';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { StartPanel } from './start-panel';

const planned = aRollout({ state: 'planned', currentStage: 0, phase: null, startedAt: null });

describe('StartPanel', () => {
  it('sends exactly the count and fingerprint the person typed, and nothing else', async () => {
    const { requests } = fakeServer(() => json(aRollout()));
    const user = userEvent.setup();
    renderWithProviders(<StartPanel rollout={planned} isAdmin={false} />);

    await user.type(screen.getByLabelText('Confirm site count'), ' 40 ');
    await user.type(screen.getByLabelText('Confirm fingerprint'), '0123456789abcdef');
    await user.click(screen.getByRole('button', { name: 'Start r-12' }));

    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/rollouts/12/start',
      body: { confirm: { count: 40, fingerprint: '0123456789abcdef' } },
    });
    expect(requests[0]!.body).not.toHaveProperty('override');
  });

  it('never fills the numbers in for the person: a mismatch goes to the server, which refuses it', async () => {
    const message =
      'confirmation does not match plan r-12: the plan changes 40 sites (fingerprint 0123456789abcdef); you confirmed 41 sites (fingerprint 0123456789abcdef). Nothing was started.';
    const { requests } = fakeServer(() =>
      json({ code: 'confirmation_mismatch', message, details: [] }, 422),
    );
    const user = userEvent.setup();
    renderWithProviders(<StartPanel rollout={planned} isAdmin={false} />);

    await user.type(screen.getByLabelText('Confirm site count'), '41');
    await user.type(screen.getByLabelText('Confirm fingerprint'), '0123456789abcdef');
    await user.click(screen.getByRole('button', { name: 'Start r-12' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The rollout was not started');
    expect(alert).toHaveTextContent(message);
    expect(requests[0]!.body).toMatchObject({ confirm: { count: 41 } });
  });

  it('requires both numbers before asking the server', async () => {
    const { requests } = fakeServer(() => json(aRollout()));
    const user = userEvent.setup();
    renderWithProviders(<StartPanel rollout={planned} isAdmin={false} />);

    await user.type(screen.getByLabelText('Confirm site count'), 'forty');
    await user.click(screen.getByRole('button', { name: 'Start r-12' }));

    expect(screen.getByText('Type the number of sites, e.g. 40.')).toBeVisible();
    expect(screen.getByText('Type the fingerprint shown in the blast radius.')).toBeVisible();
    expect(requests).toHaveLength(0);
  });

  it('offers the freeze override to admins only, and sends it when given', async () => {
    const { unmount } = renderWithProviders(<StartPanel rollout={planned} isAdmin={false} />);
    expect(screen.queryByLabelText(/Freeze override/)).not.toBeInTheDocument();
    unmount();

    const { requests } = fakeServer(() => json(aRollout()));
    const user = userEvent.setup();
    renderWithProviders(<StartPanel rollout={planned} isAdmin />);
    await user.type(screen.getByLabelText('Confirm site count'), '40');
    await user.type(screen.getByLabelText('Confirm fingerprint'), '0123456789abcdef');
    await user.type(screen.getByLabelText(/Freeze override/), 'hotfix INC-7');
    await user.click(screen.getByRole('button', { name: 'Start r-12' }));

    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.body).toEqual({
      confirm: { count: 40, fingerprint: '0123456789abcdef' },
      override: { reason: 'hotfix INC-7' },
    });
  });
});
