import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Version } from '@/lib/api-types';
import { aRollout } from '@/testing/data';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { PlanRolloutForm } from './plan-rollout-form';

const versions: Version[] = [
  { name: 'v1', status: 'active', source: 'config', isDefault: true, siteCount: 10 },
  { name: 'v2', status: 'active', source: 'config', isDefault: false, siteCount: 0 },
  { name: 'v0', status: 'retired', source: 'config', isDefault: false, siteCount: 0 },
];

function renderForm(onPlanned = vi.fn()) {
  renderWithProviders(
    <PlanRolloutForm
      versions={versions}
      cohorts={[]}
      preview={(source) => (
        <p>preview of {source.kind === 'selector' ? source.selector : source.id}</p>
      )}
      onPlanned={onPlanned}
    />,
  );
  return onPlanned;
}

describe('PlanRolloutForm', () => {
  it('plans the chosen sites with the edited stages and no canary analysis, then hands over the rollout', async () => {
    const { requests } = fakeServer(() => json(aRollout({ id: 31, state: 'planned' }), 201));
    const user = userEvent.setup();
    const onPlanned = renderForm();

    expect(screen.getByRole('option', { name: /v0 \(retired\)/ })).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Target version'), 'v2');
    await user.type(screen.getByRole('textbox', { name: 'Selector' }), 'batch=b7');
    expect(screen.getByText('preview of batch=b7')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Remove stage 2' }));
    await user.click(screen.getByRole('button', { name: 'Remove stage 2' }));
    await user.clear(screen.getByLabelText('Minimum bake (seconds)'));
    await user.type(screen.getByLabelText('Minimum bake (seconds)'), '3600');
    await user.click(screen.getByLabelText(/Canary analysis/));
    await user.click(screen.getByRole('button', { name: 'Plan rollout' }));

    await vi.waitFor(() => expect(onPlanned).toHaveBeenCalledTimes(1));
    expect(onPlanned.mock.calls[0]![0]).toMatchObject({ id: 31 });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/rollouts',
      body: {
        targetVersion: 'v2',
        selector: 'batch=b7',
        stages: [{ count: 2 }, { percent: 100 }],
        bake: { minBakeSeconds: 3600, minImportsPerSite: 1 },
        checks: { enabled: false },
        revertPolicy: { automatic: true, pauseSites: false },
      },
    });
  });

  it("shows the server's validation errors beside their fields", async () => {
    fakeServer(() =>
      json(
        {
          code: 'validation_failed',
          message:
            'body.stages.3: the last stage must be { "percent": 100 }, so every planned site is reached',
          details: [
            {
              path: 'body.stages.3',
              message:
                'the last stage must be { "percent": 100 }, so every planned site is reached',
            },
          ],
        },
        400,
      ),
    );
    const onPlanned = vi.fn();
    const user = userEvent.setup();
    renderForm(onPlanned);

    await user.selectOptions(screen.getByLabelText('Target version'), 'v2');
    await user.type(screen.getByRole('textbox', { name: 'Selector' }), 'tier=gold');
    await user.clear(screen.getByLabelText('Stage 4'));
    await user.type(screen.getByLabelText('Stage 4'), '90');
    await user.click(screen.getByRole('button', { name: 'Plan rollout' }));

    const stage = screen.getByLabelText('Stage 4');
    await vi.waitFor(() => expect(stage).toHaveAttribute('aria-invalid', 'true'));
    expect(stage).toHaveAccessibleDescription(
      'the last stage must be { "percent": 100 }, so every planned site is reached',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('The rollout was not planned');
    expect(onPlanned).not.toHaveBeenCalled();
  });

  it('names what is missing before asking the server', async () => {
    const { requests } = fakeServer(() => json(aRollout(), 201));
    const user = userEvent.setup();
    renderForm();

    await user.click(screen.getByRole('button', { name: 'Plan rollout' }));

    expect(screen.getByLabelText('Target version')).toHaveAccessibleDescription(
      'Choose the version to roll out.',
    );
    expect(screen.getByRole('textbox', { name: 'Selector' })).toHaveAccessibleDescription(
      'Write a selector, e.g. tier=enterprise,region in (eu).',
    );
    expect(requests).toHaveLength(0);
  });
});
