// Fidelity: a real full-screen program (vim) recorded through `sdd run`, driven through tmux. The screen
// rendered from the cast must equal what tmux itself shows.

import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hasTools =
  spawnSync('sh', ['-c', 'command -v tmux && command -v vim'], { stdio: 'ignore' }).status === 0;

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function trimScreen(text: string): string[] {
  return text.split('\n').map((line) => line.replace(/\s+$/, ''));
}

describe.runIf(hasTools)('recording fidelity', () => {
  let dir: { path: string; remove(): Promise<void> };
  const sessionName = `sdd-fidelity-${process.pid}`;

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await writeFile(
      join(dir.path, 'notes.txt'),
      Array.from({ length: 50 }, (_, i) => `line ${i + 1} of the notes`).join('\n'),
    );
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    spawnSync('tmux', ['kill-session', '-t', sessionName], { stdio: 'ignore' });
    await dir.remove();
  });

  it('renders the same vim screen as tmux shows', async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Edit the notes']);
    const command = `SDD_ACTOR=tester ${process.execPath} ${SDD_BIN} run ${task.id} --cmd 'vim -u NONE -N notes.txt'; sleep 30`;
    tmux('new-session', '-d', '-s', sessionName, '-x', '100', '-y', '30', '-c', dir.path, command);
    const waitFor = async (text: string) => {
      for (let i = 0; i < 100; i++) {
        if (tmux('capture-pane', '-p', '-t', sessionName).includes(text)) return;
        await sleep(100);
      }
      throw new Error(`"${text}" never appeared:\n${tmux('capture-pane', '-p', '-t', sessionName)}`);
    };
    await waitFor('line 1 of the notes');
    tmux('send-keys', '-t', sessionName, ':set number', 'Enter');
    tmux('send-keys', '-t', sessionName, '20G', 'o', 'a line typed in \u00e9\u00e8 vim \u2713', 'Escape');
    tmux('send-keys', '-t', sessionName, ':set ruler', 'Enter');
    await waitFor('typed in');
    await sleep(1800); // the recorder flushes at least once a second
    const shown = trimScreen(tmux('capture-pane', '-p', '-t', sessionName));

    const sessions = sddJson<SessionRecord[]>(dir.path, ['sessions']);
    const rendered = sddJson<{ text: string; cols: number; rows: number }>(dir.path, [
      'replay',
      sessions[0]!.id,
      '--at',
      '99999',
    ]);
    expect(rendered.cols).toBe(100);
    expect(rendered.rows).toBe(30);
    expect(trimScreen(rendered.text)).toEqual(shown.slice(0, 30));

    tmux('send-keys', '-t', sessionName, ':q!', 'Enter');
    await waitFor('done? [y/N]');
    tmux('send-keys', '-t', sessionName, 'n', 'Enter');
    await waitFor('session');
  }, 60_000);
});
