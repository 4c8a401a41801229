// The dashboard is served wherever the checkout lives (also under a dot-directory such as
// ~/.cache), and every response of both APIs carries the security headers; the stock Unleash
// SDK still reads pins through them.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Unleash } from 'unleash-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialTokens, startControlPlane } from '../test/control-plane.ts';
import type { TestControlPlane } from '../test/control-plane.ts';
import { startIngestion } from '../test/ingestion.ts';
import type { TestIngestion } from '../test/ingestion.ts';
import { tempDir } from '../test/processes.ts';
import { SiteIdsStrategy } from './ingest/site-ids-strategy.ts';

let home: Awaited<ReturnType<typeof tempDir>>;
let webDir: string;
let cp: TestControlPlane;
let ingestion: TestIngestion;
const shell = '<!doctype html><html><body><div id="root">pinion-shell</div></body></html>';

beforeAll(async () => {
  home = await tempDir('pinion-dotdir-');
  webDir = join(home.path, '.cache', 'pinion', 'web', 'dist');
  await mkdir(join(webDir, 'assets'), { recursive: true });
  await writeFile(join(webDir, 'index.html'), shell);
  await writeFile(join(webDir, 'assets', 'app.js'), 'console.log("pinion");');
  cp = await startControlPlane({ env: { PINION_WEB_DIR: webDir } });
  await cp.createSites([{ key: 'headers-site', version: 'v2' }]);
  ingestion = await startIngestion({ controlPlaneUrl: cp.url, startWorkers: false });
});
afterAll(async () => {
  await ingestion?.close();
  await cp?.close();
  await home?.remove();
});

const page = (path: string) => fetch(new URL(path, cp.url));

describe('the dashboard under a dot-directory', () => {
  it.each(['/', '/sites/headers-site', '/rollouts/12'])(
    'serves the app shell at %s',
    async (path) => {
      const res = await page(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toBe(shell);
    },
  );

  it('serves its assets', async () => {
    const res = await page('/assets/app.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('pinion');
  });

  it('answers 400, not 500, to a dashboard URL with malformed percent-encoding', async () => {
    const res = await page('/sites/%ff');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('malformed_url');
  });
});

describe('security headers', () => {
  const expectHeaders = (headers: Headers) => {
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
  };

  it('are on the dashboard, its assets and the API, answers and errors alike', async () => {
    expectHeaders((await page('/')).headers);
    expectHeaders((await page('/assets/app.js')).headers);
    expectHeaders((await cp.api('GET', '/api/v1/sites')).headers);
    expectHeaders((await cp.api('GET', '/api/v1/sites', { token: null })).headers);
    expectHeaders((await cp.api('GET', '/api/client/features', { token: null })).headers);
  });

  it('are on the ingestion API', async () => {
    expectHeaders((await ingestion.call('GET', '/healthz')).headers);
    expectHeaders((await ingestion.call('GET', '/ingest/v1/sites/headers-site/products')).headers);
  });

  it('leave the Unleash client API working for the stock SDK', async () => {
    const backup = await tempDir('pinion-sdk-');
    const unleash = new Unleash({
      url: `${cp.url}/api/`,
      appName: 'headers-test',
      customHeaders: { Authorization: initialTokens.client },
      refreshInterval: 60_000,
      disableMetrics: true,
      backupPath: backup.path,
      strategies: [new SiteIdsStrategy()],
      skipInstanceCountWarning: true,
    });
    try {
      await new Promise((resolve, reject) => {
        unleash.once('synchronized', resolve);
        unleash.once('error', reject);
      });
      const variant = unleash.getVariant('platform-api-version', {
        properties: { siteId: 'headers-site' },
      });
      expect(variant.payload?.value).toBe('v2');
    } finally {
      unleash.destroy();
      await backup.remove();
    }
  });
});

describe('a dashboard whose files went missing', () => {
  it('answers 404 not_found, not 500', async () => {
    await rm(join(webDir, 'index.html'));
    const res = await page('/sites');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('not_found');
  });
});
