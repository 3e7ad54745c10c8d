// checkpoints/N.diff: made beside the bundles, what checkpoint N changed against N-1 (or the base),
// redacted (a secret in a changed file is not in it, the text after it is), and cut past its size
// with a line that says so and how to see the whole.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckpointEvent } from '../../src/core/session.js';
import { makeCheckpointBundles } from '../../src/sessions/checkpoint-bundles.js';
import { makeCheckpointDiffs } from '../../src/sessions/checkpoint-diffs.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { git } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fake } from '../redact/fake-secrets.js';

const SECRET = fake.githubClassic();

describe('checkpoint diffs', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let repo: string;
  let store: LocalSessionStore;
  let base: string;

  beforeEach(async () => {
    dir = await makeTempDir('sdd-diffs-');
    repo = dir.path;
    git(repo, ['init', '-q', '-b', 'main']);
    git(repo, ['config', 'user.name', 'A']);
    git(repo, ['config', 'user.email', 'a@example.com']);
    await writeFile(join(repo, 'notes.txt'), 'first line\n');
    git(repo, ['add', '.']);
    git(repo, ['commit', '-qm', 'base']);
    base = git(repo, ['rev-parse', 'HEAD']).trim();
    store = new LocalSessionStore(repo);
  });
  afterEach(() => dir.remove());

  /** A checkpoint commit of `files` on top of `parent`, off the branch, as the recorder makes them. */
  async function commitOf(parent: string, files: Record<string, string>): Promise<string> {
    git(repo, ['checkout', '-q', '--detach', parent]);
    for (const [name, text] of Object.entries(files)) await writeFile(join(repo, name), text);
    git(repo, ['add', '.']);
    git(repo, ['commit', '-qm', 'checkpoint', '--allow-empty']);
    const commit = git(repo, ['rev-parse', 'HEAD']).trim();
    git(repo, ['checkout', '-q', 'main']);
    return commit;
  }

  function checkpoint(commit: string, files: number, time: number): CheckpointEvent {
    return {
      type: 'checkpoint',
      time,
      at: '',
      commit,
      trigger: 'exit',
      message: '',
      files,
      insertions: 1,
      deletions: 0,
      paths: [],
    };
  }

  async function session(events: CheckpointEvent[]): Promise<string> {
    const record = sessionRecord({ baseCommit: base, cwd: repo });
    await store.putRecord(record);
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    await store.appendFile(record.id, 'events.jsonl', 0, new TextEncoder().encode(`${text}\n`));
    return record.id;
  }

  const read = async (id: string, name: string) => new TextDecoder().decode(await store.readFile(id, name));

  it('makes one per changed checkpoint, against the one before (the base for the first), beside the bundles', async () => {
    const zero = await commitOf(base, {});
    const one = await commitOf(zero, { 'notes.txt': 'first line\nsecond line\n' });
    const id = await session([checkpoint(zero, 0, 0), checkpoint(one, 1, 5)]);
    await makeCheckpointBundles(repo, store, id);
    const names = (await store.listFiles(id)).map((f) => f.name);
    expect(names).toContain('checkpoints/1.diff');
    expect(names).not.toContain('checkpoints/0.diff'); // it changed nothing
    expect(await read(id, 'checkpoints/1.diff')).toBe(git(repo, ['diff', '--no-color', zero, one]));
    expect(await makeCheckpointDiffs(repo, store, id)).toBe(0); // made once
  });

  it('keeps no secret of a changed file, and the text after it', async () => {
    const zero = await commitOf(base, { 'config.env': `token=${SECRET} then the rest of the line\n` });
    const id = await session([checkpoint(zero, 1, 0)]);
    await makeCheckpointDiffs(repo, store, id);
    const diff = await read(id, 'checkpoints/0.diff');
    expect(diff).toContain('+++ b/config.env');
    expect(diff).not.toContain(SECRET);
    expect(diff).not.toContain(SECRET.slice(4, 20));
    expect(diff).toContain('then the rest of the line');
  });

  it('cuts a diff past its size at a line end, and says how to see the whole', async () => {
    const zero = await commitOf(base, {});
    const big = Array.from({ length: 2000 }, (_, i) => `line ${i} of a long file`).join('\n');
    const one = await commitOf(zero, { 'big.txt': `${big}\n` });
    const id = await session([checkpoint(zero, 0, 0), checkpoint(one, 1, 5)]);
    await makeCheckpointDiffs(repo, store, id, { maxBytes: 4096 });
    const diff = await read(id, 'checkpoints/1.diff');
    expect(Buffer.byteLength(diff)).toBeLessThan(4096 + 300);
    const lines = diff.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(
      /^\[sdd: this diff is cut after \d+ bytes; `sdd diff \S+@0 \S+@1` shows the whole change/,
    );
    expect(lines.at(-2)).toMatch(/^\+line \d+ of a long file$/); // whole lines only
  });
});
