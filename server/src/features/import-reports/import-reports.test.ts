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
