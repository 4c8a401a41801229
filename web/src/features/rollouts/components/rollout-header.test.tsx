import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aRollout } from '@/testing/data';
import { renderWithProviders } from '@/testing/test-utils';
import { RolloutHeader } from './rollout-header';

describe('RolloutHeader', () => {
  it('says in a sentence why a running rollout waits, with a way to the sensors', () => {
    const waiting =
      'import reports are late — ingestion instance ingest-a is 75 s behind (12 reports not yet delivered), over the 60 s limit; rollouts do not start or advance until they arrive';
    renderWithProviders(<RolloutHeader rollout={aRollout({ waiting })} />);
    const banner = screen.getByRole('status', { name: 'Waiting' });
    expect(banner).toHaveTextContent(`Waiting: ${waiting}.`);
    expect(within(banner).getByRole('link', { name: 'See the sensors' })).toHaveAttribute(
      'href',
      '/sensors',
    );
  });

  it('shows no waiting banner while nothing holds the rollout', () => {
    renderWithProviders(<RolloutHeader rollout={aRollout()} />);
    expect(screen.queryByRole('status', { name: 'Waiting' })).not.toBeInTheDocument();
  });
});
