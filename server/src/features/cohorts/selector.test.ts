import { describe, expect, it } from 'vitest';
import { matches, parseSelector } from './selector.ts';

describe('label selector grammar', () => {
  it('parses every Kubernetes requirement form', () => {
    expect(
      parseSelector(
        'tier=enterprise, region in (eu,us),!beta, load!=low, env notin (dev, qa), canary, x==y',
      ),
    ).toEqual([
      { key: 'tier', op: 'eq', value: 'enterprise' },
      { key: 'region', op: 'in', values: ['eu', 'us'] },
      { key: 'beta', op: 'not_exists' },
      { key: 'load', op: 'neq', value: 'low' },
      { key: 'env', op: 'notin', values: ['dev', 'qa'] },
      { key: 'canary', op: 'exists' },
      { key: 'x', op: 'eq', value: 'y' },
    ]);
  });

  it('allows an empty value after = and prefixed keys', () => {
    expect(parseSelector('example.com/team=,tier')).toEqual([
      { key: 'example.com/team', op: 'eq', value: '' },
      { key: 'tier', op: 'exists' },
    ]);
  });

  it.each([
    ['', 'the selector is empty at position 1'],
    ['tier=enterprise,', 'expected a requirement after the last comma at position 17'],
    ['region in (eu,us', "expected ',' or ')' in the value list at position 17"],
    ['region in eu', "expected '(' after 'in' at position 11"],
    [
      'tier enterprise',
      "expected '=', '==', '!=', 'in', 'notin', ',' or the end after 'tier' at position 6",
    ],
    ['tier=a b', "expected ',' between requirements at position 8"],
    ['ti*er=x', "'ti*er' is not a valid label key"],
    ['tier=has%', "'has%' is not a valid label value"],
    ['!', 'expected label key at position 2'],
  ])('refuses %j naming the position', (input, message) => {
    expect(() => parseSelector(input)).toThrow(message);
  });

  it('matches with Kubernetes semantics (!= and notin also match a missing label)', () => {
    const gold = { tier: 'gold', region: 'eu' };
    const bare = {};
    expect(matches(parseSelector('tier=gold'), gold)).toBe(true);
    expect(matches(parseSelector('tier!=silver'), bare)).toBe(true);
    expect(matches(parseSelector('tier notin (silver)'), bare)).toBe(true);
    expect(matches(parseSelector('tier in (silver,gold)'), gold)).toBe(true);
    expect(matches(parseSelector('tier in (silver)'), bare)).toBe(false);
    expect(matches(parseSelector('!beta,region'), gold)).toBe(true);
    expect(matches(parseSelector('tier=gold,region=us'), gold)).toBe(false);
  });
});
