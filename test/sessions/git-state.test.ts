// gitState: HEAD and whether a folder is in git, read in one git call at a session's start; and the start
// checkpoint takes the HEAD the session read as its parent instead of asking git again.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import { gitState } from '../../src/sessions/session-setup.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeRepo, type TestRepo } from '../recorders/files/git-repo.js';

describe('gitState', () => {
  const repos: TestRepo[] = [];
  afterEach(async () => {
    for (const repo of repos.splice(0)) await repo.dispose();
  });
  const repo = async (...args: Parameters<typeof makeRepo>) => {
    const made = await makeRepo(...args);
    repos.push(made);
    return made;
  };

  it('reads the commit of HEAD in a work tree, and in a folder below its top', async () => {
    const made = await repo({ 'a.txt': 'a\n' });
    const head = made.git(['rev-parse', 'HEAD']).trim();
    mkdirSync(join(made.path, 'below'));
    expect(await gitState(made.path)).toEqual({ head, inGit: true });
    expect(await gitState(join(made.path, 'below'))).toEqual({ head, inGit: true });
  });

  it('is in git with no commit before the first one', async () => {
    const made = await repo({ 'a.txt': 'a\n' }, { commit: false });
    expect(await gitState(made.path)).toEqual({ head: null, inGit: true });
  });

  it('is in git inside the repository folder itself (HEAD is readable there)', async () => {
    const made = await repo({ 'a.txt': 'a\n' });
    const head = made.git(['rev-parse', 'HEAD']).trim();
    expect(await gitState(join(made.path, '.git'))).toEqual({ head, inGit: true });
  });

  it('is not in git outside a repository, or in a folder that is gone', async () => {
    const dir = await makeTempDir('sdd-git-state-');
    try {
      // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temp folder.
      process.env.GIT_CEILING_DIRECTORIES = dir.path;
      expect(await gitState(dir.path)).toEqual({ head: null, inGit: false });
      expect(await gitState(join(dir.path, 'missing'))).toEqual({ head: null, inGit: false });
    } finally {
      delete process.env.GIT_CEILING_DIRECTORIES;
      await dir.remove();
    }
  });
});

describe('the start checkpoint with the HEAD the session read', () => {
  it('takes that commit as its parent, not what HEAD names by the time it runs', async () => {
    const made = await makeRepo({ 'a.txt': 'a\n' });
    try {
      const read = made.git(['rev-parse', 'HEAD']).trim();
      made.git(['commit', '-q', '--allow-empty', '-m', 'after the session read HEAD']);
      const recorder = new CheckpointRecorder({
        workTree: made.path,
        sessionId: 's1',
        indexFile: made.indexFile,
        head: read,
      });
      await recorder.start('start of session s1');
      expect(made.git(['rev-parse', `${recorder.ref}^`]).trim()).toBe(read);
    } finally {
      await made.dispose();
    }
  });
});
