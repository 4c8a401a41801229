import { describe, expect, it } from 'vitest';
import { tokenFrom } from './bearer-token.ts';

describe('tokenFrom', () => {
  it('accepts the Bearer scheme in any case (RFC 9110), and the raw token Unleash SDKs send', () => {
    for (const header of [
      'Bearer pn_abc',
      'bearer pn_abc',
      'BEARER  pn_abc',
      'bEaReR pn_abc',
      'pn_abc',
    ])
      expect(tokenFrom(header), header).toBe('pn_abc');
  });

  it('finds no token in an empty header or a bare scheme', () => {
    for (const header of [undefined, '', '   ', 'Bearer ', 'bearer   '])
      expect(tokenFrom(header), String(header)).toBeUndefined();
  });
});
