// One `sdd github sync` at a time in a clone: two at once would both create the issues the
// mapping does not have yet. The lock is proper-lockfile's folder beside the mapping, refreshed
// while held, so one left by a killed process goes stale and is taken over.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { SddError } from '../core/errors.js';

export async function withSyncLock<T>(mappingPath: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(mappingPath), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(`${mappingPath}.sync`, { realpath: false, stale: 15_000, retries: 0 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new SddError(
        'LOCKED',
        'Another `sdd github sync` is running in this project; wait for it to finish, then run it again.',
      );
    }
    throw error;
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
