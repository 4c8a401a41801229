import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { aRollout } from '@/testing/data';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import type { RevertOutcome } from '../api/revert-rollout';
import { RevertControl, RevertResult } from './revert-control';

const reverted = (extra: Partial<RevertOutcome> = {}): RevertOutcome => ({
  ...aRollout({ state: 'reverted', phase: null, progress: { reverted: 2, pending: 38 } }),
  alreadyReverted: false,
  reverted: 2,
  paused: [],
  conflicts: [],
  ...extra,
});

describe('RevertControl', () => {
  it('asks only for a reason, sends one revert on a double click, and hands back the result', async () => {
    let answer!: (response: Response) => void;
    const { requests } = fakeServer(() => new Promise<Response>((resolve) => (answer = resolve)));
    const onReverted = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RevertControl rollout={aRollout()} onReverted={onReverted} />);

    await user.click(screen.getByRole('button', { name: 'Revert' }));
    const dialog = screen.getByRole('dialog', { name: 'Revert r-12' });
    expect(within(dialog).getByLabelText('Reason')).toHaveFocus();
    await user.keyboard('imports dropping on s-17');
    await user.dblClick(within(dialog).getByRole('button', { name: 'Revert r-12' }));

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/rollouts/12/revert',
      body: { reason: 'imports dropping on s-17' },
    });
    answer(json(reverted()));
    await vi.waitFor(() => expect(onReverted).toHaveBeenCalledTimes(1));
    expect(onReverted.mock.calls[0]![0]).toMatchObject({ reverted: 2, conflicts: [] });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('sends nothing without a reason', async () => {
    const { requests } = fakeServer(() => json(reverted()));
    const user = userEvent.setup();
    renderWithProviders(<RevertControl rollout={aRollout()} onReverted={vi.fn()} />);

    await user.click(screen.getByRole('button', { name: 'Revert' }));
    await user.type(screen.getByLabelText('Reason'), '   ');
    await user.click(screen.getByRole('button', { name: 'Revert r-12' }));

    expect(screen.getByText('Give a reason: it is kept in the audit log.')).toBeVisible();
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toHaveLength(0);
  });

  it("keeps the dialog open with the server's message when the revert is refused", async () => {
    const message =
      'rollout r-12 is planned; revert applies only to running, paused, halted, completed, reverting rollouts; it changed nothing yet: abort it instead';
    fakeServer((request) =>
      request.method === 'POST'
        ? json({ code: 'invalid_state', message, details: [] }, 409)
        : json(aRollout({ state: 'planned' })),
    );
    const onReverted = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<RevertControl rollout={aRollout()} onReverted={onReverted} />);

    await user.click(screen.getByRole('button', { name: 'Revert' }));
    await user.type(screen.getByLabelText('Reason'), 'bad canary');
    await user.click(screen.getByRole('button', { name: 'Revert r-12' }));

    const dialog = screen.getByRole('dialog', { name: 'Revert r-12' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(within(dialog).getByRole('button', { name: 'Revert r-12' })).toBeEnabled();
    expect(onReverted).not.toHaveBeenCalled();
  });
});

describe('RevertResult', () => {
  it('says how many sites went back and lists the ones left alone', () => {
    renderWithProviders(
      <RevertResult
        outcome={reverted({
          reverted: 1,
          conflicts: [{ siteKey: 's-3', expected: 'v2', found: 'v3' }],
        })}
        onDismiss={vi.fn()}
      />,
    );
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('Reverted 1 site to their previous version.');
    expect(status).toHaveTextContent('1 site left alone');
    expect(screen.getByRole('list', { name: 'Revert conflicts' })).toHaveTextContent(
      's-3: now on v3, the rollout had set v2',
    );
  });

  it("says which sites the revert paused, as the rollout's revert policy asks", () => {
    renderWithProviders(
      <RevertResult outcome={reverted({ paused: ['s-1', 's-2'] })} onDismiss={vi.fn()} />,
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      "2 sites paused until repaired, as the rollout's revert policy asks.",
    );
  });
});
