import { mkdirSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Loop } from '../../lib/loop.ts';
import { ActiveToken } from './introspection-client.ts';
import type { SavedToken, TokenChecker } from './token-checker.ts';

const SavedFile = z.object({
  tokens: z.array(
    z.object({
      hash: z.string(),
      caller: ActiveToken,
      at: z.number(),
      sites: z.array(z.tuple([z.string(), z.boolean(), z.number()])),
    }),
  ),
});

/**
 * Keeps the checker's confirmed tokens in a file, as the SDK keeps the last pins, so that an
 * ingestion API restarted while the control plane is down still accepts the import jobs it
 * accepted before, for what is left of the grace period. Hashes only, never secrets.
 */
export function saveTokensToFile(options: {
  checker: TokenChecker;
  file: string;
  everyMs?: number;
  onError?: (err: Error) => void;
}) {
  const { checker, file } = options;
  mkdirSync(dirname(file), { recursive: true });
  checker.restore(read(file));
  let saved = checker.changes;

  async function save() {
    if (checker.changes === saved) return;
    saved = checker.changes;
    // Written aside and renamed: a crash mid-write leaves the previous file whole.
    await writeFile(`${file}.tmp`, JSON.stringify({ tokens: checker.saved() }), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  const loop = new Loop({ run: save, onError: (err) => options.onError?.(err as Error) });
  loop.start(options.everyMs ?? 2_000);
  return {
    async stop() {
      await loop.stop();
      await save().catch((err: Error) => options.onError?.(err));
    },
  };
}

function read(file: string): SavedToken[] {
  try {
    return SavedFile.parse(JSON.parse(readFileSync(file, 'utf8'))).tokens;
  } catch {
    // No file yet, or a damaged one: start knowing no token, as on a first start.
    return [];
  }
}
