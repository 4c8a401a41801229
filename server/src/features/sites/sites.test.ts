import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(() => cp.close());

const countSites = () => cp.db.site.count();

describe('creating a site', () => {
  it('pins a new site explicitly to the fleet default and records its first pin', async () => {
    const res = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'new-1', name: 'New One', labels: { tier: 'gold' } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      key: 'new-1',
      pinnedVersion: 'v1',
      paused: false,
      labels: { tier: 'gold' },
    });
    const history = await cp.api('GET', '/api/v1/sites/new-1/pin-history');
    expect(history.body.items).toEqual([
      expect.objectContaining({ fromVersion: null, toVersion: 'v1', reason: 'site created' }),
    ]);
    const audit = await cp.api('GET', '/api/v1/audit?site=new-1');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('site.created');
  });

  it('refuses a duplicate key with 409 and leaves the existing site alone', async () => {
    await cp.api('POST', '/api/v1/sites', { body: { key: 'dup-1', name: 'Dup', version: 'v2' } });
    const res = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'dup-1', name: 'Other', version: 'v3' },
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("site 'dup-1' already exists");
    const site = await cp.api('GET', '/api/v1/sites/dup-1');
    expect(site.body).toMatchObject({ name: 'Dup', pinnedVersion: 'v2' });
  });

  it.each([
    [{ key: 'bad key', name: 'x' }, 'body.key'],
    [{ key: 'ok-1', name: '' }, 'body.name'],
    [{ key: 'ok-2', name: 'x', color: 'red' }, 'body.color'],
    [{ key: 'ok-3', name: 42 }, 'body.name'],
    [{ key: 'ok-4', name: 'x', labels: { tier: 'has space' } }, 'body.labels.tier'],
    [{ key: 'a,b', name: 'x' }, 'body.key'],
  ])('rejects %j naming %s, and creates nothing', async (body, field) => {
    const before = await countSites();
    const res = await cp.api('POST', '/api/v1/sites', { body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.message).toContain(field);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await countSites()).toBe(before);
  });

  it('refuses unknown and retired versions with 422 naming the version', async () => {
    const unknown = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'v-1', name: 'x', version: 'v9' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/unknown version 'v9'.*v1, v2, v3/);
    await cp.api('PATCH', '/api/v1/versions/v3', { body: { status: 'retired', reason: 'test' } });
    const retired = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'v-2', name: 'x', version: 'v3' },
    });
    expect(retired.status).toBe(422);
    expect(retired.body.message).toContain("'v3' is retired");
    await cp.api('PATCH', '/api/v1/versions/v3', { body: { status: 'active', reason: 'test' } });
    expect(await cp.db.site.count({ where: { key: { in: ['v-1', 'v-2'] } } })).toBe(0);
  });

  it('answers malformed JSON, a missing body type and oversize bodies with 4xx', async () => {
    const malformed = await cp.api('POST', '/api/v1/sites', {
      raw: '{"key": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_json');
    const untyped = await cp.api('POST', '/api/v1/sites', {
      raw: 'key=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(untyped.status).toBe(415);
    const huge = await cp.api('POST', '/api/v1/sites', {
      body: { key: 'big', name: 'x'.repeat(2_000_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('payload_too_large');
  });
});

describe('bulk import', () => {
  it('imports CSV with labels and versions', async () => {
    const csv = 'key,name,version,label.tier,label.region\nc-1,One,,gold,eu\nc-2,Two,v2,silver,\n';
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ imported: 2 });
    const one = await cp.api('GET', '/api/v1/sites/c-1');
    expect(one.body).toMatchObject({ pinnedVersion: 'v1', labels: { tier: 'gold', region: 'eu' } });
    const two = await cp.api('GET', '/api/v1/sites/c-2');
    expect(two.body).toMatchObject({ pinnedVersion: 'v2', labels: { tier: 'silver' } });
  });

  it('imports nothing when one CSV line is bad, and names the line', async () => {
    const before = await countSites();
    const csv = 'key,name,label.tier\nok-a,A,gold\nok-b,B,gold\nbad key,C,gold\nok-d,D,gold\n';
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('line 4');
    expect(res.body.details[0]).toMatchObject({ line: 4, path: 'line 4.key' });
    expect(await countSites()).toBe(before);
  });

  it('reports every bad JSON item, duplicates and existing keys, and imports nothing', async () => {
    const before = await countSites();
    const res = await cp.api('POST', '/api/v1/sites/import', {
      body: {
        sites: [
          { key: 'j-1', name: 'ok' },
          { key: 'j-1', name: 'again' },
          { key: 'c-1', name: 'exists already' },
          { key: 'j-3', name: 'x', version: 'v7' },
          { key: 'j-4' },
        ],
      },
    });
    expect(res.status).toBe(400);
    const problems = res.body.details.map(
      (d: { line: number; message: string }) => `${d.line}: ${d.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2: duplicate key 'j-1' \(first on line 1\)/),
        expect.stringMatching(/^3: site 'c-1' already exists/),
        expect.stringMatching(/^4: unknown version 'v7'/),
        expect.stringMatching(/^5: /),
      ]),
    );
    expect(await countSites()).toBe(before);
    expect((await cp.api('GET', '/api/v1/sites/c-1')).body.name).toBe('One');
  });

  it('rejects a CSV with unknown columns, naming them', async () => {
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: 'key,name,colour\nx,y,red\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('colour');
  });

  it('reads a long CSV exactly across its slices, and refuses an unclosed quote whole', async () => {
    // Parsed in 32 KiB slices: a quoted name with a line break spans the one at 64 KiB.
    const lines = ['key,name'];
    for (let i = 0; lines.join('\n').length < 65_500; i++) lines.push(`slice-${i},Slice ${i}`);
    lines.push('slice-quoted,"Two ' + 'x'.repeat(60) + '\nlines"');
    for (let i = 0; i < 3_000; i++) lines.push(`slice-after-${i},After ${i}`);
    const broken = [...lines, 'slice-broken,"never closed', 'slice-last,Last'];
    const before = await countSites();

    const refused = await cp.api('POST', '/api/v1/sites/import', {
      raw: broken.join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(refused.status).toBe(400);
    // The parser finds out at the end of the input, its last physical line (the quoted name
    // took two).
    expect(refused.body.message).toContain(`CSV line ${broken.length + 1}: Quote Not Closed`);
    expect(await countSites()).toBe(before);

    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: lines.join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(lines.length - 1);
    const quoted = await cp.api('GET', '/api/v1/sites/slice-quoted');
    expect(quoted.body.name).toBe('Two ' + 'x'.repeat(60) + '\nlines');
  });

  it('keeps a character whose UTF-16 halves straddle a slice boundary', async () => {
    let csv = 'key,name\n';
    for (let i = 0; csv.length + 'slice-emoji,'.length + 190 < 32 * 1024; i++)
      csv += `pad-${i},P\n`;
    // The emoji's first half is the last character of the first 32 KiB slice.
    const name = 'e'.repeat(32 * 1024 - 1 - csv.length - 'slice-emoji,'.length) + '\u{1F600}';
    csv += `slice-emoji,${name}\n`;
    expect(csv.charCodeAt(32 * 1024 - 1)).toBe(0xd83d);
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect((await cp.api('GET', '/api/v1/sites/slice-emoji')).body.name).toBe(name);
  });

  it('imports 100,000 sites in one request', async () => {
    const before = await countSites();
    const lines = ['key,name,label.shard'];
    for (let i = 0; i < 100_000; i++) lines.push(`bulk-${i},Bulk ${i},s${i % 10}`);
    const res = await cp.api('POST', '/api/v1/sites/import', {
      raw: lines.join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body.imported).toBe(100_000);
    expect(await countSites()).toBe(before + 100_000);
    const shard = await cp.api('GET', '/api/v1/sites?label=shard=s3&limit=1');
    expect(shard.body.total).toBe(10_000);
  }, 120_000);
});

describe('listing sites', () => {
  beforeAll(async () => {
    await cp.createSites([
      { key: 'list-a', labels: { region: 'eu', tier: 'gold' } },
      { key: 'list-b', labels: { region: 'eu', tier: 'silver' }, version: 'v2' },
      { key: 'list-c', labels: { region: 'us', tier: 'gold' } },
    ]);
    await cp.api('POST', '/api/v1/sites/list-c/pause', { body: { reason: 'maintenance' } });
  });

  const keys = async (query: string) =>
    (await cp.api('GET', `/api/v1/sites?q=list-&${query}`)).body.items.map(
      (s: { key: string }) => s.key,
    );

  it('filters by labels (all must match), version and paused', async () => {
    expect(await keys('label=region=eu')).toEqual(['list-a', 'list-b']);
    expect(await keys('label=region=eu&label=tier=gold')).toEqual(['list-a']);
    expect(await keys('version=v2')).toEqual(['list-b']);
    expect(await keys('paused=true')).toEqual(['list-c']);
  });

  it('pages on the server with a total', async () => {
    const page1 = await cp.api('GET', '/api/v1/sites?q=list-&limit=2&offset=0');
    const page2 = await cp.api('GET', '/api/v1/sites?q=list-&limit=2&offset=2');
    expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page1.body.items.map((s: { key: string }) => s.key)).toEqual(['list-a', 'list-b']);
    expect(page2.body.items.map((s: { key: string }) => s.key)).toEqual(['list-c']);
  });

  it('rejects bad filters naming the parameter', async () => {
    const res = await cp.api('GET', '/api/v1/sites?limit=5000&sort=name');
    expect(res.status).toBe(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['query.limit', 'query.sort']));
  });

  it('answers 404 for an unknown site', async () => {
    const res = await cp.api('GET', '/api/v1/sites/nope');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe("site 'nope' does not exist");
  });
});
