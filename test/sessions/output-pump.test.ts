// A program's output through the native pump, as `sdd run` reads it (runInPty on a real PTY, its screen
// a file): the screen and the recording get the same bytes; what the program printed before a key was
// typed is recorded before that key, though the pump hands output over in batches; the recorder that
// falls behind holds the program back; a background process that keeps the PTY open after the program
// exits does not keep sdd waiting for good.

import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ptyPump } from '../../src/native/pty-pump.js';
import { type PtyRunOptions, runInPty } from '../../src/sessions/pty-runner.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdd-output-pump-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Seen = { type: 'output'; data: Buffer; ageMs: number } | { type: 'input'; data: Buffer };

function run(script: string, options: Partial<PtyRunOptions> = {}) {
  const screenPath = join(dir, 'screen');
  const fd = openSync(screenPath, 'w');
  const stdout = createWriteStream('', { fd, autoClose: false }) as unknown as NodeJS.WriteStream;
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const seen: Seen[] = [];
  const result = runInPty({
    file: 'sh',
    args: ['-c', script],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'xterm' },
    cols: 80,
    rows: 24,
    stdin,
    stdout,
    onOutput: (data, ageMs) => seen.push({ type: 'output', data: Buffer.from(data), ageMs }),
    onInput: (data) => seen.push({ type: 'input', data: Buffer.from(data) }),
    ...options,
  }).finally(() => closeSync(fd));
  const output = () => Buffer.concat(seen.flatMap((s) => (s.type === 'output' ? [s.data] : [])));
  return { result, seen, output, stdin, screen: () => readFileSync(screenPath) };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe.runIf(ptyPump() !== null)('the output pump under runInPty', () => {
  it('gives the screen and the recording the same bytes, all of them', async () => {
    const run1 = run('head -c 3000000 /dev/zero | tr "\\0" "a" | fold -w 100; echo; echo end');
    expect(await run1.result).toEqual({ exitCode: 0, signal: null });
    const output = run1.output();
    expect(output.length).toBe(3_000_000 + 30_000 * 2 + 5); // each line ends \r\n on a PTY
    expect(output.toString().endsWith('end\r\n')).toBe(true);
    expect(run1.screen().equals(output)).toBe(true);
    // Handed over in batches, not a call per read of 4 KB.
    expect(run1.seen.length).toBeLessThan(300);
  });

  it('records what was printed before a key was typed before that key', async () => {
    const run1 = run('echo ready; read line; echo "got $line"');
    await until(() => run1.screen().includes('ready'));
    run1.stdin.write('hello\n');
    await run1.result;
    const typed = run1.seen.findIndex((s) => s.type === 'input');
    expect(typed).toBeGreaterThan(0);
    const before = Buffer.concat(run1.seen.slice(0, typed).map((s) => s.data)).toString();
    expect(before).toContain('ready');
    expect(run1.output().toString()).toContain('got hello');
  });

  it('hands over what it read at once when asked (sdd records a marker after it)', async () => {
    let takeOutput = () => {};
    const run1 = run('echo ready; sleep 1', { onStart: (control) => (takeOutput = control.takeOutput) });
    await until(() => run1.screen().includes('ready'));
    takeOutput();
    expect(run1.output().toString()).toContain('ready');
    await run1.result;
  });

  it('holds the program back while the recorder is full, and lets it finish once drained', async () => {
    let full = true;
    let release: () => void = () => {};
    const drained = new Promise<void>((resolve) => (release = resolve));
    const run1 = run('head -c 20000000 /dev/zero | tr "\\0" "b"; echo; echo end', {
      outputSink: { isFull: () => full, drained: () => drained },
    });
    await until(() => run1.output().length > 0);
    // Held: the pump stops reading, the program waits on its full PTY.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const held = run1.screen().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(run1.screen().length).toBe(held);
    expect(held).toBeLessThan(10_000_000);
    full = false;
    release();
    await run1.result;
    expect(run1.output().toString().endsWith('end\r\n')).toBe(true);
    expect(run1.output().length).toBe(20_000_000 + 2 + 5);
  });

  it('records what a background process prints just after the exit, then ends though it goes on', async () => {
    // It ignores the hang-up (set before the program exits) and keeps the PTY open, printing a line a
    // second for 20 s.
    const pidFile = join(dir, 'background.pid');
    const ready = join(dir, 'ready');
    const run1 = run(
      `(trap '' HUP; touch ${ready}; for i in $(seq 20); do sleep 1; echo tick $i; done) & ` +
        `echo $! > ${pidFile}; while [ ! -e ${ready} ]; do sleep 0.01; done; echo started`,
    );
    const started = Date.now();
    try {
      expect(await run1.result).toEqual({ exitCode: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(9000);
      const output = run1.output().toString();
      expect(output).toContain('started');
      expect(output).toContain('tick 1\r\n');
      expect(output).not.toContain('tick 9');
    } finally {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  }, 15_000);
});
