import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to port 4242 and the embedded database in .data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4242);
    expect(config.database).toEqual({ dir: '.data/control' });
    expect(config.versions).toEqual(['v1', 'v2', 'v3']);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).database).toEqual({
      url: 'postgresql://u@h/db',
    });
  });

  it('refuses bad values, naming each variable', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', PINION_ADMIN_TOKEN: 'short', DATABASE_URL: 'mysql://x' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL[\s\S]*PINION_ADMIN_TOKEN must be at least 16 characters/);
  });
});
