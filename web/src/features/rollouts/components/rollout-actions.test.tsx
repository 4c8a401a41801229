import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Role } from '@/lib/api-types';
import { aRollout } from '@/testing/data';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { RolloutActions } from './rollout-actions';

const buttons = () =>
  screen.queryByRole('group', { name: 'Rollout actions' })
    ? within(screen.getByRole('group', { name: 'Rollout actions' }))
        .getAllByRole('button')
        .map((b) => b.textContent)
    : [];

function renderFor(role: Role, rollout = aRollout()) {
  return renderWithProviders(<RolloutActions rollout={rollout} role={role} />);
}

describe('RolloutActions', () => {
  it('shows each role only the buttons it may press in this state', () => {
    renderFor('viewer');
    expect(buttons()).toEqual([]);
  });

  it.each([
    ['operator', ['Pause', 'Halt']],
    ['release', ['Pause', 'Advance to stage 2', 'Halt']],
  ] as const)('shows %s on a baking rollout: %j', (role, expected) => {
    renderFor(role);
    expect(buttons()).toEqual(expected);
  });

  it('offers Approve and Abort on a plan awaiting approval', () => {
    renderFor('release', aRollout({ state: 'awaiting_approval', currentStage: 0, phase: null }));
    expect(buttons()).toEqual(['Approve', 'Abort plan']);
  });

  it('calls the last stage "Complete"', () => {
    renderFor('admin', aRollout({ currentStage: 3 }));
    expect(buttons()).toContain('Complete');
  });

  it("asks for a reason, then shows the server's refusal in its own words", async () => {
    const message = 'rollout r-12 is paused; pause applies only to running rollouts';
    const { requests } = fakeServer((request) =>
      request.method === 'POST'
        ? json({ code: 'invalid_state', message, details: [] }, 409)
        : json(aRollout({ state: 'paused' })),
    );
    const user = userEvent.setup();
    renderFor('operator');

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    const dialog = screen.getByRole('dialog', { name: 'Pause r-12' });
    await user.type(within(dialog).getByLabelText('Reason'), 'customer call at 14:00');
    await user.click(within(dialog).getByRole('button', { name: 'Pause' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/rollouts/12/pause',
      body: { reason: 'customer call at 14:00' },
    });
  });

  it('closes the dialog and says what happened when the server accepts', async () => {
    fakeServer(() => json(aRollout({ state: 'halted', phase: 'baking' })));
    const user = userEvent.setup();
    renderFor('operator');

    await user.click(screen.getByRole('button', { name: 'Halt' }));
    await user.type(screen.getByLabelText('Reason'), 'looks wrong');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Halt' }));

    expect(await screen.findByRole('status')).toHaveTextContent(
      'r-12 halted. Its pins stay until it is reverted.',
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('drops that message once the rollout moves on, so "halted" does not sit beside a revert', async () => {
    fakeServer(() => json(aRollout({ state: 'halted', phase: 'baking' })));
    const user = userEvent.setup();
    const { rerender } = renderFor('operator');

    await user.click(screen.getByRole('button', { name: 'Halt' }));
    await user.type(screen.getByLabelText('Reason'), 'looks wrong');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Halt' }));
    expect(await screen.findByRole('status')).toHaveTextContent('r-12 halted.');

    rerender(<RolloutActions rollout={aRollout({ state: 'halted' })} role="operator" />);
    expect(screen.getByRole('status')).toHaveTextContent('r-12 halted.');
    rerender(<RolloutActions rollout={aRollout({ state: 'reverted' })} role="operator" />);
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
