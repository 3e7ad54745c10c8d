// The end of a session never stops half-way: a final checkpoint that fails still leaves a closed,
// valid cast, a finished record, no running mark and a released claim; a closed stdout (`| head`)
// ends the screen quietly while the program runs on and is recorded to its end.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemDetails } from '../../src/core/service.js';
import type { SessionEvent, SessionRecord, StatusEvent } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

interface SessionShow {
  session: SessionRecord;
  events: SessionEvent[];
  castPath: string;
}

async function castEvents(path: string): Promise<unknown[][]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  expect(lines.at(-1)).toBe(''); // the file ends on a whole line
  const [header, ...events] = lines.slice(0, -1).map((line) => JSON.parse(line));
  expect(header).toMatchObject({ version: 2 });
  return events as unknown[][];
}

const outputOf = (events: unknown[][]) =>
  events
    .filter((e) => e[1] === 'o')
    .map((e) => e[2])
    .join('');

describe('the end of a session', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;
  let task: Item;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q', '-b', 'main']);
    await writeFile(join(cwd, 'README.md'), '# project\n');
    git(cwd, ['add', '.']);
    git(cwd, ['-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-qm', 'initial']);
    sddJson(cwd, ['init']);
    task = sddJson<Item>(cwd, ['create', 'Break the repository']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('goes on past a failed final checkpoint: cast closed, record finished, running mark gone, claim released', async () => {
    // The program takes the repository away as it ends, so the exit checkpoint cannot be written.
    const run = sdd(cwd, ['run', task.id, '--cmd', 'echo working; mv .git .git-gone; echo gone; exit 5']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('the final checkpoint failed');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const [session] = sddJson<SessionRecord[]>(cwd, ['sessions']);
    const { events, castPath } = sddJson<SessionShow>(cwd, ['session', 'show', session!.id]);
    expect(session).toMatchObject({ status: 'finished', exitCode: 5, controlSocket: null });
    expect(session!.endedAt).not.toBeNull();
    const status = events.filter((e): e is StatusEvent => e.type === 'status');
    expect(status).toHaveLength(1);
    expect(status[0]).toMatchObject({ status: 'finished', exitCode: 5 });
    expect(status[0]!.note).toContain('the final checkpoint failed');
    expect(outputOf(await castEvents(castPath))).toContain('gone');
    expect(await readdir(join(cwd, '.sdd', 'local', 'sessions', '.running'))).toEqual([]);
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item).toMatchObject({ status: 'open', claim: null });
  }, 30_000);

  it('a closed stdout ends the screen quietly; the program runs to its end, recorded, and the claim is released', async () => {
    const err = join(dir.path, '..', `${dir.path.split('/').pop()}-stderr.txt`);
    const code = join(dir.path, '..', `${dir.path.split('/').pop()}-code.txt`);
    const command = 'yes | head -c 10000000; echo printed-to-the-end';
    // A real pipe whose reader goes away after the first line.
    const pipeline = spawnSync(
      '/bin/sh',
      ['-c', `("$NODE" "$SDD" run ${task.id} --cmd '${command}' 2>"$ERR"; echo $? >"$CODE") | head -1`],
      {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          SDD_ACTOR: 'tester',
          NODE: process.execPath,
          SDD: SDD_BIN,
          ERR: err,
          CODE: code,
        },
      },
    );
    expect(pipeline.stdout).toBe('y\r\n');
    expect((await readFile(code, 'utf8')).trim()).toBe('0');
    const stderr = await readFile(err, 'utf8');
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toContain('is released');

    const [session] = sddJson<SessionRecord[]>(cwd, ['sessions']);
    expect(session).toMatchObject({ status: 'finished', exitCode: 0 });
    const output = outputOf(
      await castEvents(join(cwd, '.sdd', 'local', 'sessions', session!.id, 'terminal.cast')),
    );
    expect(output).toContain('printed-to-the-end');
    expect(output.length).toBeGreaterThanOrEqual(10_000_000);
    expect(existsSync(join(cwd, '.sdd', 'local', 'sessions', '.running', session!.id))).toBe(false);
    expect(sddJson<ItemDetails>(cwd, ['show', task.id]).item).toMatchObject({ status: 'open', claim: null });
  }, 60_000);
});
