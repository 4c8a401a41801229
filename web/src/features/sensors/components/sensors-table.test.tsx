import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Sensor } from '@/lib/api-types';
import { fakeServer, json, renderWithProviders } from '@/testing/test-utils';
import { SensorsTable } from './sensors-table';

const sensor = (overrides: Partial<Sensor>): Sensor => ({
  instanceId: 'ingest-a',
  state: 'ok',
  holdsRollouts: false,
  lagSeconds: 0,
  silentSeconds: 3,
  unreported: 0,
  queued: 0,
  oldestUnreportedAt: null,
  oldestQueuedAt: null,
  lastDeliveredAt: '2026-01-01T10:00:00.000Z',
  heardAt: '2026-01-01T10:00:02.000Z',
  firstHeardAt: '2026-01-01T09:00:00.000Z',
  stoppedAt: null,
  ...overrides,
});

describe('SensorsTable', () => {
  it('leads with the sentence that holds rollouts, then each instance with its lag and backlog', async () => {
    const holding =
      'import reports are late — ingestion instance ingest-b is 95 s behind (12 reports not yet delivered), over the 60 s limit; rollouts do not start or advance until they arrive';
    const { requests } = fakeServer(() =>
      json({
        limitSeconds: 60,
        goneSeconds: 600,
        holding,
        items: [
          sensor({}),
          sensor({
            instanceId: 'ingest-b',
            state: 'lagging',
            holdsRollouts: true,
            lagSeconds: 95,
            unreported: 12,
            queued: 40,
          }),
        ],
      }),
    );
    renderWithProviders(<SensorsTable />);

    expect(await screen.findByRole('alert', { name: 'Rollouts held' })).toHaveTextContent(
      `Rollouts held: ${holding}`,
    );
    const rows = within(screen.getByRole('table', { name: 'Ingestion instances' })).getAllByRole(
      'row',
    );
    expect(rows).toHaveLength(3);
    const lagging = within(rows[2]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(lagging.slice(0, 5)).toEqual(['ingest-b', 'lagging', '1 min 35 s', '12', '40']);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/api/v1/sensors' });
  });

  it('says reports are in time when nothing holds rollouts', async () => {
    fakeServer(() => json({ limitSeconds: 60, goneSeconds: 600, holding: null, items: [] }));
    renderWithProviders(<SensorsTable />);
    expect(
      await screen.findByText('Import reports are in time: no ingestion instance is more than', {
        exact: false,
      }),
    ).toHaveTextContent('more than 1 min behind');
    expect(screen.getByText('No ingestion instance has reported yet.')).toBeVisible();
  });
});
