// Seeds a running Pinion with the demo fleet, through its public APIs only:
//   node src/demo/seed.ts <control-plane-url> <admin-token> [<ingest-url> <import-token>]
// Sites are created once (skipped when any exist); with an ingestion URL and an import token,
// every site gets one import so the dashboard has data to show.
import { demoFeed, demoSites } from './demo-fleet.ts';

export async function seedDemo(options: {
  controlPlaneUrl: string;
  adminToken: string;
  /** Where to post a first catalog for every site, with an `import` token. */
  ingest?: { url: string; importToken: string };
  log?: (line: string) => void;
}) {
  const log = options.log ?? console.log;
  const auth = {
    authorization: `Bearer ${options.adminToken}`,
    'content-type': 'application/json',
  };
  const existing = await fetch(`${options.controlPlaneUrl}/api/v1/sites?limit=1`, {
    headers: auth,
  });
  if (!existing.ok)
    throw new Error(`control plane answered ${existing.status}: ${await existing.text()}`);
  const { total } = (await existing.json()) as { total: number };
  const sites = demoSites();
  if (total > 0) {
    log(`demo: ${total} sites already exist; not seeding`);
    return { created: 0 };
  }
  const created = await fetch(`${options.controlPlaneUrl}/api/v1/sites/import`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ sites }),
  });
  if (!created.ok) throw new Error(`demo import failed: ${created.status} ${await created.text()}`);
  log(`demo: created ${sites.length} sites (20 labelled load=high, 10 on v3)`);
  if (options.ingest) {
    const { url, importToken } = options.ingest;
    await untilIngestionKnows(url, options.adminToken, sites.at(-1)!.key);
    let imported = 0;
    for (const site of sites) {
      const res = await fetch(`${url}/ingest/v1/sites/${site.key}/imports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${importToken}` },
        body: JSON.stringify(demoFeed({ siteKey: site.key, labels: site.labels, importNumber: 1 })),
      });
      if (res.ok) imported++;
    }
    log(`demo: imported a first catalog for ${imported} sites`);
  }
  return { created: sites.length };
}

/** The ingestion API learns new sites on its next poll of the control plane. */
async function untilIngestionKnows(ingestUrl: string, staffToken: string, siteKey: string) {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${ingestUrl}/ingest/v1/pins/${siteKey}`, {
      headers: { authorization: `Bearer ${staffToken}` },
    }).catch(() => undefined);
    if (res?.ok && ((await res.json()) as { status: string }).status === 'pinned') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ingestion API at ${ingestUrl} did not learn the demo sites within 10 s`);
}

if (import.meta.main) {
  const [controlPlaneUrl, adminToken, ingestUrl, importToken] = process.argv.slice(2);
  if (!controlPlaneUrl || !adminToken || Boolean(ingestUrl) !== Boolean(importToken)) {
    console.error(
      'usage: node src/demo/seed.ts <control-plane-url> <admin-token> [<ingest-url> <import-token>]',
    );
    process.exit(2);
  }
  const ingest = ingestUrl && importToken ? { url: ingestUrl, importToken } : undefined;
  await seedDemo({ controlPlaneUrl, adminToken, ingest });
}
