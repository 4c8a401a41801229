import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { textSlices } from '../feed/text-checks.ts';

export type ChannelName = 'file' | 'webhook';

/** Where a site's catalog is published. `deliver` throws when the publication did not happen. */
export interface ExportChannel {
  readonly name: ChannelName;
  deliver(options: { siteKey: string; position: number; body: string }): Promise<void>;
}

/**
 * Writes `<dir>/<site>.json`. The file is written beside its final name, flushed to disk and
 * renamed over it, so a reader (or a crash) sees the old catalog or the new one, never half.
 */
export function fileChannel(dir: string): ExportChannel {
  let made: Promise<unknown> | undefined;
  return {
    name: 'file',
    async deliver({ siteKey, body }) {
      await (made ??= mkdir(dir, { recursive: true }));
      const target = join(dir, `${siteKey}.json`);
      const temp = join(dir, `.${siteKey}.json.${randomBytes(6).toString('hex')}.tmp`);
      const file = await open(temp, 'w');
      try {
        // A slice at a time: encoding a 40 MB catalog at once held the event loop for 100 ms.
        for (const slice of textSlices(body, 1024 * 1024)) await file.write(slice);
        await file.datasync();
      } finally {
        await file.close();
      }
      await rename(temp, target).catch(async (err: unknown) => {
        await rm(temp, { force: true });
        throw err;
      });
    },
  };
}

/** POSTs the catalog as JSON; any answer but 2xx (or no answer within the timeout) is a failure. */
export function webhookChannel(options: { url: string; timeoutMs?: number }): ExportChannel {
  return {
    name: 'webhook',
    async deliver({ siteKey, position, body }) {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pinion-site': siteKey,
          'x-pinion-position': String(position),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new Error(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      await response.body?.cancel().catch(() => {});
    },
  };
}
