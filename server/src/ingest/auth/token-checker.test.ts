// The token checker's memory, with the control plane's answers given by a function (the seam
// the ingestion API fills with its HTTP client; ingest-auth.test.ts runs the real one).
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../lib/clock.ts';
import type { Introspect, Introspection } from './introspection-client.ts';
import { IntrospectionFailed } from './introspection-client.ts';
import { createTokenChecker } from './token-checker.ts';

const importer: Introspection = {
  active: true,
  role: 'import',
  name: 'job',
  owner: 'platform',
  siteSelector: null,
};

function controlPlane(answer: () => Introspection) {
  const calls: { token: string; siteKey?: string }[] = [];
  let down = false;
  const introspect: Introspect = async (question) => {
    calls.push(question);
    await new Promise((resolve) => setImmediate(resolve));
    if (down) throw new IntrospectionFailed('ECONNREFUSED');
    return answer();
  };
  return { introspect, calls, setDown: (value: boolean) => void (down = value) };
}

describe('the token checker', () => {
  it('asks the control plane once for many simultaneous requests with the same token', async () => {
    const cp = controlPlane(() => importer);
    const checker = createTokenChecker({
      introspect: cp.introspect,
      clock: manualClock(),
      freshMs: 500,
      graceMs: 300_000,
    });
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => checker.check('t1')));
    expect(verdicts.every((v) => v.status === 'active')).toBe(true);
    expect(cp.calls).toHaveLength(1);
  });

  it('asks again once an answer is older than freshMs, and learns of a revocation', async () => {
    let answer: Introspection = importer;
    const cp = controlPlane(() => answer);
    const clock = manualClock();
    const checker = createTokenChecker({
      introspect: cp.introspect,
      clock,
      freshMs: 500,
      graceMs: 300_000,
    });
    expect((await checker.check('t1')).status).toBe('active');
    answer = { active: false };
    clock.advance(499);
    expect((await checker.check('t1')).status).toBe('active');
    clock.advance(1);
    expect((await checker.check('t1')).status).toBe('inactive');
    // Known to be revoked, it stays refused while the control plane is down.
    cp.setDown(true);
    clock.advance(10_000);
    expect((await checker.check('t1')).status).toBe('inactive');
  });

  it('during an outage, waits a second before asking again instead of paying a timeout per request', async () => {
    const cp = controlPlane(() => importer);
    const clock = manualClock();
    const checker = createTokenChecker({
      introspect: cp.introspect,
      clock,
      freshMs: 500,
      graceMs: 300_000,
    });
    await checker.check('t1');
    cp.setDown(true);
    clock.advance(1_000);
    expect((await checker.check('t1')).status).toBe('active');
    expect((await checker.check('t1')).status).toBe('active');
    expect((await checker.check('unknown')).status).toBe('unavailable');
    expect(cp.calls).toHaveLength(2);
    clock.advance(1_000);
    cp.setDown(false);
    expect((await checker.check('unknown')).status).toBe('active');
    expect(cp.calls).toHaveLength(3);
  });

  it("keeps a selector-bound token's site decisions through an outage, and no others", async () => {
    const cp = controlPlane(() => ({ ...importer, siteSelector: 'region=us', siteAllowed: true }));
    const clock = manualClock();
    const checker = createTokenChecker({
      introspect: cp.introspect,
      clock,
      freshMs: 500,
      graceMs: 300_000,
    });
    expect(await checker.check('t1', 'us-1')).toMatchObject({
      status: 'active',
      siteAllowed: true,
    });
    cp.setDown(true);
    clock.advance(60_000);
    expect(await checker.check('t1', 'us-1')).toMatchObject({
      status: 'active',
      siteAllowed: true,
    });
    expect((await checker.check('t1', 'us-2')).status).toBe('unavailable');
  });

  it('restores saved confirmations, which expire with their original grace', async () => {
    const cp = controlPlane(() => importer);
    const clock = manualClock();
    const options = { clock, freshMs: 500, graceMs: 300_000 };
    const before = createTokenChecker({ introspect: cp.introspect, ...options });
    await before.check('t1');
    const saved = JSON.parse(JSON.stringify(before.saved()));
    expect(JSON.stringify(saved)).not.toContain('t1');

    cp.setDown(true);
    const after = createTokenChecker({ introspect: cp.introspect, ...options });
    after.restore(saved);
    clock.advance(200_000);
    expect((await after.check('t1')).status).toBe('active');
    clock.advance(100_000);
    expect((await after.check('t1')).status).toBe('unavailable');
  });
});
