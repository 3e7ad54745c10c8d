// A throw-away private index in the temp folder, for one-off snapshots (a diff against the work tree
// now, a restore outside any session), removed afterwards whatever happens.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withTempIndex<T>(job: (indexFile: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'sdd-index-'));
  try {
    return await job(join(folder, 'index'));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
