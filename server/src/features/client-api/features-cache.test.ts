// SDK polls never wait for a payload build: while a new revision's payload is built, requests
// are answered from the last snapshot, and the new one is served as soon as it is built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../../test/control-plane.ts';
import type { TestControlPlane } from '../../../test/control-plane.ts';
import { eventually } from '../../../test/http.ts';
import { FeaturesCache } from './features-cache.ts';
import type { FeaturesSnapshot } from './features-cache.ts';
import { readFleetState } from './features-store.ts';
import { RevisionWatcher } from './revision-watcher.ts';

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
  await cp.createSites([{ key: 'site-a' }, { key: 'site-b' }]);
});
afterAll(() => cp.close());

type Strategy = { parameters: { siteIds: string }; variants: { payload: { value: string } }[] };
const sitesOn = (snapshot: FeaturesSnapshot, version: string) =>
  (JSON.parse(snapshot.json.toString()).features[0].strategies as Strategy[]).find(
    (s) => s.variants[0]!.payload.value === version,
  )?.parameters.siteIds;

describe('the features payload during a build', () => {
  it('is served from the last snapshot at once, and the new one once it is built', async () => {
    // A watcher of its own, which learns of changes as a replica does: from the database.
    const revisions = new RevisionWatcher(cp.db);
    await revisions.refresh();
    const hold = Promise.withResolvers<void>();
    let holding = false;
    let reads = 0;
    const cache = new FeaturesCache({
      db: cp.db,
      revisions,
      read: async (db) => {
        const state = await readFleetState(db);
        reads += 1;
        if (holding) await hold.promise;
        return state;
      },
    });
    const first = await cache.get();
    expect(sitesOn(first, 'v2')).toBeUndefined();

    holding = true;
    await cp.setPin('site-a', 'v2');
    await revisions.refresh();
    // The build starts as soon as the revision is known, before any request asks for it.
    await eventually(() => (reads === 2 ? true : undefined));
    expect(revisions.current).toBeGreaterThan(first.revision);

    // An SDK polling with the old ETag, and a new one, both get the last snapshot at once.
    expect(await cache.get({ held: first.revision })).toBe(first);
    expect(await cache.get()).toBe(first);
    // A client that already holds the new revision (from another replica) is never sent back.
    let answered: FeaturesSnapshot | undefined;
    const ahead = cache.get({ held: revisions.current }).then((s) => (answered = s));
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBeUndefined();

    hold.resolve();
    const second = await eventually(async () => {
      const now = await cache.get();
      return now !== first ? now : undefined;
    });
    expect(second.revision).toBe(revisions.current);
    expect(sitesOn(second, 'v2')).toBe('site-a');
    expect(await ahead).toBe(second);
  });
});
