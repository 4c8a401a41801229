import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { SelectorPreview } from './cohort-preview';

function Typing() {
  const [selector, setSelector] = useState('');
  return (
    <>
      <label htmlFor="s">Selector</label>
      <input id="s" value={selector} onChange={(e) => setSelector(e.target.value)} />
      {selector ? <SelectorPreview selector={selector} /> : null}
    </>
  );
}

/**
 * Types on a clock that only moves when the test moves it, so every keystroke lands inside the
 * debounce; Testing Library's findBy* then moves it on while it waits.
 */
async function typeSelector(text: string) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  await userEvent.setup({ delay: null }).type(screen.getByLabelText('Selector'), text);
}

describe('SelectorPreview', () => {
  it('asks the server once typing pauses, and shows count, fingerprint and sample', async () => {
    const { requests } = fakeServer(() =>
      json({ count: 3, fingerprint: 'aa11bb22cc33dd44', sample: ['s-1', 's-2', 's-3'] }),
    );
    renderWithProviders(<Typing />);

    await typeSelector('tier=gold');
    expect(requests).toHaveLength(0);

    const preview = await screen.findByRole('status', { name: 'Sites preview' });
    expect(preview).toHaveTextContent('3 sites · fingerprint aa11bb22cc33dd44');
    expect(screen.getByRole('list', { name: 'Sample of the sites' })).toHaveTextContent(
      's-1s-2s-3',
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/cohorts/preview',
      body: { selector: 'tier=gold' },
    });
  });

  it("shows the server's message for a selector it cannot read", async () => {
    fakeServer(() =>
      json(
        {
          code: 'validation_failed',
          message: 'selector: expected label key at position 6',
          details: [{ path: 'selector', message: 'expected label key at position 6' }],
        },
        400,
      ),
    );
    renderWithProviders(<Typing />);

    await typeSelector('tier=,');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'selector: expected label key at position 6',
    );
  });
});
