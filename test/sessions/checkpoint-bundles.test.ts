// Checkpoints as git bundles: made in the recording repository, thin against the previous one,
// unbundled in order by a clone that never had them; a missing bundle is said plainly.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointEvent } from '../../src/core/session.js';
import { fetchCheckpoints, hasCommit, makeCheckpointBundles } from '../../src/sessions/checkpoint-bundles.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { uploadSession } from '../../src/sessions/session-upload.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { git } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('checkpoint bundles', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let alice: string;
  let bob: string;
  let commits: string[];
  let base: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    alice = join(dir.path, 'alice');
    git(dir.path, ['init', '-q', '-b', 'main', alice]);
    git(alice, ['config', 'user.name', 'A']);
    git(alice, ['config', 'user.email', 'a@example.com']);
    await writeFile(join(alice, 'a.txt'), 'base\n');
    git(alice, ['add', '.']);
    git(alice, ['commit', '-qm', 'base']);
    base = git(alice, ['rev-parse', 'HEAD']).trim();
    // two checkpoints on a private ref, as sdd keeps them: not on any branch
    commits = [];
    for (const text of ['one\n', 'two\n']) {
      await writeFile(join(alice, 'a.txt'), text);
      git(alice, ['add', '.']);
      git(alice, ['commit', '-qm', `checkpoint ${text.trim()}`]);
      commits.push(git(alice, ['rev-parse', 'HEAD']).trim());
    }
    git(alice, ['update-ref', 'refs/sdd/checkpoints/s', commits[1]!]);
    git(alice, ['reset', '-q', '--hard', base]);
    bob = join(dir.path, 'bob');
    git(dir.path, ['clone', '-q', '--no-local', alice, bob]);
  });
  afterEach(() => dir.remove());

  async function recordedSession(store: LocalSessionStore) {
    const record = sessionRecord({ baseCommit: base, status: 'finished' });
    await store.putRecord(record);
    const events = commits.map(
      (commit, i): CheckpointEvent => ({
        type: 'checkpoint',
        time: i,
        at: '2026-12-01T12:00:00.000Z',
        commit,
        trigger: 'burst',
        message: `checkpoint ${i}`,
        files: 1,
        insertions: 1,
        deletions: 1,
        paths: [{ path: 'a.txt', status: 'M' }],
      }),
    );
    await store.appendFile(
      record.id,
      'events.jsonl',
      0,
      new TextEncoder().encode(events.map((e) => `${JSON.stringify(e)}\n`).join('')),
    );
    return record;
  }

  it('are made once, travel with the session, and give a clone that never had them its checkpoints', async () => {
    const mine = new LocalSessionStore(alice);
    const record = await recordedSession(mine);
    expect(await makeCheckpointBundles(alice, mine, record.id)).toBe(2);
    expect(await makeCheckpointBundles(alice, mine, record.id)).toBe(0);
    const names = (await mine.listFiles(record.id)).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['checkpoints/0.bundle', 'checkpoints/1.bundle']));

    const server = new LocalSessionStore(join(dir.path, 'server'));
    await uploadSession(mine, server, record.id);
    for (const commit of commits) expect(hasCommit(bob, commit)).toBe(false);
    await fetchCheckpoints(bob, server, record, 1);
    for (const commit of commits) expect(hasCommit(bob, commit)).toBe(true);
    expect(git(bob, ['rev-parse', `refs/sdd/fetched/${record.id}`]).trim()).toBe(commits[1]);
    expect(git(bob, ['show', `${commits[1]}:a.txt`])).toBe('two\n');
  });

  it('says plainly when the server has no bundle of a checkpoint', async () => {
    const mine = new LocalSessionStore(alice);
    const record = await recordedSession(mine);
    const server = new LocalSessionStore(join(dir.path, 'server'));
    await uploadSession(mine, server, record.id); // no bundles made: an older sdd
    await expect(fetchCheckpoints(bob, server, record, 0)).rejects.toThrow(/has no bundle of it/);
  });
});
