// Which session wrote this commit? A session notes the commits it made with the patch id of each
// change, so the answer survives an amend of the message and a rebase (which change the sha).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

type Found = SessionRecord & { matchedBy: 'sha' | 'patch-id'; commit: { sha: string; subject: string } };

describe('sdd sessions --commit', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let cwd: string;
  let session: SessionRecord;
  let base: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q', '-b', 'main']);
    git(cwd, ['config', 'user.name', 'Tess']);
    git(cwd, ['config', 'user.email', 'tess@example.com']);
    await writeFile(join(cwd, 'README.md'), '# project\n');
    sddJson(cwd, ['init']);
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'initial']);
    base = git(cwd, ['rev-parse', 'HEAD']).trim();
    const task = sddJson<Item>(cwd, ['create', 'Two commits']);
    const work = [
      'echo a > a.txt && git add a.txt && git commit -qm "Add a"',
      'echo b > b.txt && git add b.txt && git commit -qm "Add b"',
    ].join(' && ');
    expect(sdd(cwd, ['run', task.id, '--cmd', work]).code).toBe(0);
    session = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
  });
  afterEach(() => dir.remove());

  it('finds the session by the commit it made, and lists its commits in session show', () => {
    const found = sddJson<Found[]>(cwd, ['sessions', '--commit', 'HEAD']);
    expect(found.map((f) => [f.id, f.matchedBy, f.commit.subject])).toEqual([[session.id, 'sha', 'Add b']]);
    const shown = sdd(cwd, ['session', 'show', session.id]).stdout;
    expect(shown).toMatch(/commits it made:\n\s+[0-9a-f]{10}\s+Add a\n\s+[0-9a-f]{10}\s+Add b/);
  });

  it('finds it again after an amend of the message and after a rebase, by patch id', async () => {
    git(cwd, ['commit', '-q', '--amend', '-m', 'Add b, reworded']);
    const amended = sddJson<Found[]>(cwd, ['sessions', '--commit', 'HEAD']);
    expect(amended.map((f) => [f.id, f.matchedBy])).toEqual([[session.id, 'patch-id']]);
    expect(sdd(cwd, ['sessions', '--commit', 'HEAD']).stdout).toContain('since amended or rebased');
    // rebase both onto a new commit of someone else's
    const sessionTip = git(cwd, ['rev-parse', 'HEAD']).trim();
    git(cwd, ['checkout', '-q', '-b', 'other', base]);
    await writeFile(join(cwd, 'c.txt'), 'c\n');
    git(cwd, ['add', 'c.txt']);
    git(cwd, ['commit', '-qm', 'Add c (not the session)']);
    git(cwd, ['cherry-pick', `${base}..${sessionTip}`]);
    const rebased = sddJson<Found[]>(cwd, ['sessions', '--commit', 'HEAD~1']);
    expect(rebased.map((f) => [f.id, f.matchedBy, f.commit.subject])).toEqual([
      [session.id, 'patch-id', 'Add a'],
    ]);
    expect(sddJson<Found[]>(cwd, ['sessions', '--commit', 'HEAD~2'])).toEqual([]);
    expect(sdd(cwd, ['sessions', '--commit', 'HEAD~2']).stdout).toContain('No recorded session made');
  });

  it('says so for a commit that does not exist', () => {
    const result = sdd(cwd, ['sessions', '--commit', 'no-such-commit']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No commit "no-such-commit"');
  });
});
