// `sdd watch` without a team server: it follows a session recording on this machine through its
// terminal.cast, from the screen so far to the end; a finished session is refused with exit 14.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type Clone, runScript, startWatch, waitFor } from './live-harness.js';
import { userEnv } from './server-harness.js';

describe('sdd watch, embedded', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let clone: Clone;

  beforeEach(async () => {
    dir = await makeTempDir('sdd-live-local-');
    const cwd = join(dir.path, 'clone');
    await mkdir(cwd);
    git(cwd, ['init', '-q', '-b', 'main']);
    await writeFile(join(cwd, 'README.md'), '# project\n');
    git(cwd, ['add', '.']);
    git(cwd, ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'initial']);
    const env = userEnv(join(dir.path, 'home'));
    sddJson(cwd, ['init'], env);
    clone = { cwd, env, projectId: '' };
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('follows a local recording from its screen to its end', async () => {
    const { running, step } = runScript(
      clone,
      'Local',
      `echo local-before; ${waitFor('go')}; echo local-after`,
    );
    let id: string | null = null;
    for (let i = 0; i < 200 && !id; i++) {
      const live = sddJson<{ id: string }[]>(clone.cwd, ['sessions', '--live'], clone.env);
      id = live[0]?.id ?? null;
      if (!id) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(id).not.toBeNull();
    const watcher = startWatch(clone, id!);
    await watcher.sees('local-before');
    await step('go');
    const watched = await watcher.done;
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout.indexOf('local-before')).toBeLessThan(watched.stdout.indexOf('local-after'));
    expect(watched.stdout.split('local-after').length - 1).toBe(1);
    expect((await running).code).toBe(0);
    const refused = sdd(clone.cwd, ['watch', id!], clone.env);
    expect(refused.code).toBe(14);
    expect(refused.stderr).toContain(`sdd replay ${id}`);
    const sessions = sddJson<SessionRecord[]>(clone.cwd, ['sessions', '--live'], clone.env);
    expect(sessions).toEqual([]);
  }, 120_000);
});
