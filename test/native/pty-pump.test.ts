// The native output pump (src/native/pty-pump.c) on its own, fed through a FIFO, which ends as a PTY
// does once its writer is gone: every byte shown on the screen and taken, in order; the reading held
// back while too much waits or while paused; a screen that went away given up on without losing the
// recording; a stop that returns while the writer still holds the pipe open.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PtyPumpHandle, ptyPump } from '../../src/native/pty-pump.js';
import { seededRandom } from '../helpers/seeded-random.js';

const native = ptyPump();
const HELD_LIMIT = 4 * 1024 * 1024;
const READ_BYTES = 64 * 1024;

let dir: string;
const opened: number[] = [];
const writers: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdd-pump-'));
});

afterEach(async () => {
  for (const writer of writers.splice(0)) writer.kill('SIGKILL');
  for (const fd of opened.splice(0)) closeSync(fd);
  await rm(dir, { recursive: true, force: true });
});

function bytes(length: number, seed: number): Buffer {
  const next = seededRandom(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

function fifo(name: string): string {
  const path = join(dir, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

function track(fd: number): number {
  opened.push(fd);
  return fd;
}

/**
 * A FIFO's read end, and a writer that has opened it (so that it does not read as ended yet) and
 * copies `source` into it once go() is called, then closes it.
 */
async function writer(source: Buffer): Promise<{ fd: number; go(): void; done: Promise<void> }> {
  const path = fifo('pty');
  const file = join(dir, 'source');
  await writeFile(file, source);
  const fd = track(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  const child = spawn('sh', ['-c', 'exec 3>"$1"; echo open; read go; cat "$2" >&3', 'sh', path, file]);
  writers.push(child);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { fd, go: () => child.stdin.write('go\n'), done };
}

function screenFile(): { fd: number; path: string } {
  const path = join(dir, 'screen');
  return { fd: track(openSync(path, 'w')), path };
}

/** Takes until the pump says it ended; everything taken, and the last take's report. */
async function takeToTheEnd(pump: () => PtyPumpHandle, ready: Promise<void>[], into = Buffer.alloc(300_000)) {
  const chunks: Buffer[] = [];
  for (;;) {
    const taken = native!.takePump(pump(), into);
    chunks.push(Buffer.from(into.subarray(0, taken.length)));
    if (taken.ended) return { data: Buffer.concat(chunks), taken };
    if (taken.length === 0) await (ready.shift() ?? new Promise((resolve) => setTimeout(resolve, 5)));
  }
}

function readyCalls(): { onReady(): void; calls: Promise<void>[]; count(): number } {
  let count = 0;
  const calls: Promise<void>[] = [];
  let wake: () => void = () => {};
  calls.push(new Promise((resolve) => (wake = resolve)));
  return {
    onReady() {
      count++;
      wake();
      calls.push(new Promise((resolve) => (wake = resolve)));
    },
    calls,
    count: () => count,
  };
}

async function settledSize(path: string): Promise<number> {
  let last = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const size = statSync(path).size;
    if (size === last) return size;
    last = size;
  }
}

describe('the native output pump', () => {
  it('is built', () => {
    expect(native, 'dist/native/fast_cast.node is missing or old: run `npm run build`').not.toBeNull();
  });

  it('shows every byte on the screen and hands each over once, in order, to the end', async () => {
    const source = bytes(6_000_000, 1);
    const input = await writer(source);
    const screen = screenFile();
    const ready = readyCalls();
    const pump = native!.startPump(input.fd, screen.fd, ready.onReady);
    input.go();
    const { data, taken } = await takeToTheEnd(() => pump, ready.calls);
    native!.stopPump(pump);
    expect(data.equals(source)).toBe(true);
    expect(readFileSync(screen.path).equals(source)).toBe(true);
    expect(taken).toMatchObject({ ended: true, screenError: 0, readError: 0 });
    // Told of batches (a megabyte, or 20 ms), not of each read: 6 MB come in far fewer than 1,465 reads.
    expect(ready.count()).toBeGreaterThan(0);
    expect(ready.count()).toBeLessThan(200);
  });

  it('stops reading while 4 MB wait to be taken, and goes on once they are', async () => {
    const source = bytes(12_000_000, 2);
    const input = await writer(source);
    const screen = screenFile();
    const pump = native!.startPump(input.fd, screen.fd, () => {});
    input.go();
    const readSoFar = await settledSize(screen.path);
    expect(readSoFar).toBeGreaterThanOrEqual(HELD_LIMIT);
    expect(readSoFar).toBeLessThan(HELD_LIMIT + READ_BYTES + 4096);
    const { data } = await takeToTheEnd(() => pump, []);
    native!.stopPump(pump);
    await input.done;
    expect(data.equals(source)).toBe(true);
  });

  it('reads nothing while paused, and all of it once resumed', async () => {
    const source = bytes(2_000_000, 3);
    const input = await writer(source);
    const screen = screenFile();
    const pump = native!.startPump(input.fd, screen.fd, () => {});
    native!.pausePump(pump);
    input.go();
    // The thread may have been in a read when told: at most that one.
    expect(await settledSize(screen.path)).toBeLessThanOrEqual(READ_BYTES);
    native!.resumePump(pump);
    const { data } = await takeToTheEnd(() => pump, []);
    native!.stopPump(pump);
    expect(data.equals(source)).toBe(true);
  });

  it('gives up a screen that went away (EPIPE) and keeps every byte for the recording', async () => {
    const source = bytes(1_000_000, 4);
    const input = await writer(source);
    const screenPath = fifo('screen');
    const screenReader = openSync(screenPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const screen = track(openSync(screenPath, constants.O_WRONLY));
    closeSync(screenReader);
    const pump = native!.startPump(input.fd, screen, () => {});
    input.go();
    const { data, taken } = await takeToTheEnd(() => pump, []);
    native!.stopPump(pump);
    expect(data.equals(source)).toBe(true);
    expect(taken.screenError).toBe(32); // EPIPE
  });

  it('stops when told, while the other side holds the PTY open and writes nothing', async () => {
    const input = await writer(Buffer.from('never sent'));
    const pump = native!.startPump(input.fd, -1, () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    native!.stopPump(pump);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(native!.takePump(pump, Buffer.alloc(16))).toMatchObject({ length: 0, ended: true });
  });

  it('refuses what is not a descriptor, a function or a pump', () => {
    expect(() => native!.startPump(-1, 1, () => {})).toThrow(TypeError);
    expect(() => native!.startPump(0, 1, 'x' as unknown as () => void)).toThrow(TypeError);
    expect(() => native!.takePump({} as PtyPumpHandle, Buffer.alloc(1))).toThrow(TypeError);
  });
});
