import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Flags that keep a distribution Chromium quiet on a machine without network access. */
export const systemChromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function bundledChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function chromiumOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Playwright's own Chromium when `npx playwright install` has put it in place; otherwise the
 * system's (`apt-get install chromium`), or the one named by PINION_E2E_CHROMIUM.
 */
export function chromiumLaunchOptions(): { executablePath?: string; args?: string[] } {
  const chosen = process.env.PINION_E2E_CHROMIUM;
  if (chosen) return { executablePath: chosen, args: systemChromiumArgs };
  if (bundledChromium()) return {};
  const system = chromiumOnPath();
  if (system) return { executablePath: system, args: systemChromiumArgs };
  throw new Error(
    'No Chromium found: run `npx playwright install chromium`, install the system package ' +
      '(`apt-get install -y chromium`), or set PINION_E2E_CHROMIUM to a Chromium binary.',
  );
}
