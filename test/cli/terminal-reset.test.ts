// The person's terminal after `sdd run` of a full-screen program that left its modes on: back to
// normal cursor keys and keypad, whether sdd ends normally or is killed with -9 (its watchdog). And a
// terminal that reports no size: the program gets --cols by --rows instead of sdd stopping.
// The bytes the terminal received are played into xterm.js, which reads them as a terminal does.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import xtermHeadless from '@xterm/headless';
import { spawn as spawnPty } from 'node-pty';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { readCastFile } from '../../src/replay/cast-reader.js';
import { git, REPO_ROOT, SDD_BIN, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const { Terminal } = xtermHeadless;
const FAKE_AGENT = join(REPO_ROOT, 'test', 'fixtures', 'fake-agent.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// what vim or less switch on, and never switch off when killed
const MODES_ON = '\x1b[?1049h\x1b[?1h\x1b=\x1b[?2004h';

async function modesAfter(bytes: string) {
  const terminal = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(bytes, resolve));
  const modes = { ...terminal.modes };
  terminal.dispose();
  return modes;
}

describe('the terminal after sdd run', () => {
  let dir: { path: string; remove(): Promise<void> };
  let task: Item;

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    await writeFile(join(dir.path, 'README.md'), '# x\n');
    sddJson(dir.path, ['init']);
    task = sddJson<Item>(dir.path, ['create', 'Edit in full screen']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  async function script(steps: unknown[]): Promise<string> {
    const path = join(dir.path, 'steps.json');
    await writeFile(path, JSON.stringify(steps));
    return path;
  }

  it('a program that exits with its modes on leaves the terminal in normal cursor-key and keypad mode', async () => {
    const steps = await script([{ print: `${MODES_ON}full screen\r\n` }, { sleep: 300 }, { exit: 0 }]);
    const term = spawnPty(
      process.execPath,
      [SDD_BIN, 'run', task.id, '--done-on-success', '--', process.execPath, FAKE_AGENT, steps],
      {
        cols: 80,
        rows: 24,
        cwd: dir.path,
        env: { ...process.env, SDD_ACTOR: 'tester' } as Record<string, string>,
      },
    );
    let screen = '';
    term.onData((d) => {
      screen += d;
    });
    const code = await new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    expect(code).toBe(0);
    expect(screen).toContain('full screen');
    const after = screen.slice(screen.indexOf('full screen'));
    expect(after).toContain('\x1b[?1l');
    expect(after).toContain('\x1b>');
    expect(await modesAfter(screen)).toMatchObject({
      applicationCursorKeysMode: false,
      applicationKeypadMode: false,
      bracketedPasteMode: false,
    });
  }, 30_000);

  it('after kill -9 the watchdog resets cursor keys and keypad too, not only the tty settings', async () => {
    const steps = await script([{ print: `${MODES_ON}agent running\r\n` }, { sleep: 20_000 }]);
    const shell = `${process.execPath} ${SDD_BIN} run ${task.id} -- ${process.execPath} ${FAKE_AGENT} ${steps} < /dev/tty & echo "PID=$!"; wait; sleep 1; echo WATCHDOG-DONE`;
    const term = spawnPty('/bin/sh', ['-c', shell], {
      cols: 80,
      rows: 24,
      cwd: dir.path,
      env: { ...process.env, SDD_ACTOR: 'tester' } as Record<string, string>,
    });
    let screen = '';
    term.onData((d) => {
      screen += d;
    });
    const exited = new Promise<void>((resolve) => term.onExit(() => resolve()));
    for (let i = 0; i < 100 && !screen.includes('agent running'); i++) await sleep(100);
    const pid = Number(/PID=(\d+)/.exec(screen)?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await exited;
    expect(screen).toContain('WATCHDOG-DONE');
    const after = screen.slice(screen.indexOf('agent running'));
    expect(after).toContain('\x1b[?1l');
    expect(after).toContain('\x1b>');
    expect(await modesAfter(screen)).toMatchObject({
      applicationCursorKeysMode: false,
      applicationKeypadMode: false,
      bracketedPasteMode: false,
    });
  }, 30_000);

  it('at a terminal that reports 0 by 0, gives the program --cols by --rows and records it', async () => {
    // `script` with piped input, a container's terminal before its first resize: made 0 by 0 here
    // just before sdd starts in it.
    const command = `stty cols 0 rows 0; exec "${process.execPath}" "${SDD_BIN}" run ${task.id} --done-on-success --cols 100 --rows 30 --cmd "stty size"`;
    const term = spawnPty('sh', ['-c', command], {
      cols: 80,
      rows: 24,
      cwd: dir.path,
      env: { ...process.env, SDD_ACTOR: 'tester' } as Record<string, string>,
    });
    let output = '';
    term.onData((data) => {
      output += data;
    });
    const exitCode = await new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
    expect(output).not.toContain('must be a whole number');
    expect(exitCode).toBe(0);
    expect(output).toContain('30 100');
    const sessions = sddJson<{ id: string }[]>(dir.path, ['sessions']);
    const { header } = await readCastFile(
      join(dir.path, '.sdd', 'local', 'sessions', sessions[0]!.id, 'terminal.cast'),
    );
    expect(header).toMatchObject({ width: 100, height: 30 });
  });
});
