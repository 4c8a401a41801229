import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'r-1', version: 'v2' }]);
});
afterAll(() => cp.close());

const report = (body: object) =>
  cp.api('POST', '/api/v1/import-reports', {
    token: initialTokens.ingest,
    body: {
      importId: 'imp-1',
      siteKey: 'r-1',
      version: 'v2',
      received: 100,
      imported: 90,
      rejected: 4,
      durationMs: 35,
      completedAt: '2026-11-25T10:00:00.000Z',
      ...body,
    },
  });

describe('import reports', () => {
  it("keeps a report with the site's pin at arrival, once per import id", async () => {
    const first = await report({});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      duplicate: false,
      report: { importId: 'imp-1', version: 'v2', pinnedVersion: 'v2' },
    });
    const again = await report({ imported: 1 });
    expect(again.body).toMatchObject({ duplicate: true, report: { imported: 90 } });
    const list = await cp.api('GET', '/api/v1/sites/r-1/imports');
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses inconsistent counts, unknown sites and bad fields, storing nothing', async () => {
    const inconsistent = await report({ importId: 'imp-2', imported: 99, rejected: 2 });
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.body.message).toContain('exceeds received');
    const unknown = await report({ importId: 'imp-3', siteKey: 'r-404' });
    expect(unknown.status).toBe(404);
    const negative = await report({ importId: 'imp-4', received: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.details[0].path).toBe('body.received');
    expect(await cp.db.importReport.count()).toBe(1);
  });
});

describe('import reports in batches', () => {
  it('accepts, deduplicates, flags and refuses each report on its own', async () => {
    const base = {
      version: 'v2',
      received: 10,
      imported: 10,
      rejected: 0,
      durationMs: 5,
      completedAt: '2026-11-25T10:00:00.000Z',
    };
    const res = await cp.api('POST', '/api/v1/import-reports/batch', {
      token: initialTokens.ingest,
      body: {
        reports: [
          { ...base, importId: 'b-1', siteKey: 'r-1' },
          { ...base, importId: 'imp-1', siteKey: 'r-1' },
          { ...base, importId: 'b-2', siteKey: 'r-1', version: 'v1' },
          { ...base, importId: 'b-3', siteKey: 'r-1', imported: 11 },
          { ...base, importId: 'b-4', siteKey: 'nowhere' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accepted: 2,
      duplicates: ['imp-1'],
      flagged: [{ importId: 'b-2', message: 'processed with v1 while the site was pinned to v2' }],
      refused: [
        {
          importId: 'b-3',
          kind: 'inconsistent',
          message: 'imported (11) + rejected (0) exceeds received (10)',
        },
        { importId: 'b-4', kind: 'unknown_site', message: "site 'nowhere' does not exist" },
      ],
    });
    const again = await cp.api('POST', '/api/v1/import-reports/batch', {
      token: initialTokens.ingest,
      body: { reports: [{ ...base, importId: 'b-1', siteKey: 'r-1' }] },
    });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: ['b-1'] });
    expect(await cp.db.importReport.count({ where: { importId: { startsWith: 'b-' } } })).toBe(2);
  });
});

describe('a batch with malformed reports in it', () => {
  const good = (importId: string) => ({
    importId,
    siteKey: 'r-1',
    version: 'v2',
    received: 10,
    imported: 9,
    rejected: 1,
    durationMs: 5,
    completedAt: '2026-11-25T11:00:00.000Z',
  });

  it('refuses each malformed report alone, naming it and the field, and keeps the rest', async () => {
    const res = await cp.api('POST', '/api/v1/import-reports/batch', {
      token: initialTokens.ingest,
      body: {
        reports: [
          good('m-1'),
          { ...good('m-2'), received: null, durationMs: null },
          { ...good('m-3'), failed: 'yes' },
          good('m-4'),
          { ...good('m-5'), importId: 'nul\u0000id' },
          { ...good('m-6'), received: 2 ** 31 },
          'not a report',
          { ...good('m-7'), extra: 1 },
          good('m-8'),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(3);
    expect(res.body.refused).toEqual([
      {
        importId: 'm-2',
        kind: 'invalid',
        message: expect.stringMatching(
          /^reports\.1\.received: .*null.* \(and 1 more problem\(s\)\)$/,
        ),
      },
      { importId: 'm-3', kind: 'invalid', message: expect.stringMatching(/^reports\.2\.failed: /) },
      {
        importId: 'nul\u0000id',
        kind: 'invalid',
        message: 'reports.4.importId: must be 1-100 printable ASCII characters without spaces',
      },
      {
        importId: 'm-6',
        kind: 'invalid',
        message: expect.stringMatching(/^reports\.5\.received: /),
      },
      { importId: null, kind: 'invalid', message: expect.stringMatching(/^reports\.6: /) },
      { importId: 'm-7', kind: 'invalid', message: "reports.7.extra: unknown field 'extra'" },
    ]);
    const kept = await cp.db.importReport.findMany({
      where: { importId: { startsWith: 'm-' } },
      orderBy: { importId: 'asc' },
    });
    expect(kept.map((r) => r.importId)).toEqual(['m-1', 'm-4', 'm-8']);
  });

  it('refuses the whole batch only when its envelope is unusable, storing nothing', async () => {
    const before = await cp.db.importReport.count();
    for (const body of [
      { reports: [] },
      { reports: 'x' },
      { batch: [good('e-1')] },
      [good('e-2')],
    ]) {
      const res = await cp.api('POST', '/api/v1/import-reports/batch', {
        token: initialTokens.ingest,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect(await cp.db.importReport.count()).toBe(before);
  });
});
