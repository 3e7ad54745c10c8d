// Test helpers: write small casts from event lists, and the screens a single xterm.js terminal shows when a
// whole cast is replayed into it from the start (the reference the keyframed renderer must match).

import { appendFile, writeFile } from 'node:fs/promises';
import xtermHeadless from '@xterm/headless';
import { parseResize } from '../../src/replay/cast-format.js';
import { streamCastEvents } from '../../src/replay/cast-reader.js';

const { Terminal } = xtermHeadless;

export type EventTuple = [time: number, code: string, data: string];

export async function writeCast(path: string, size: { width: number; height: number }, events: EventTuple[]) {
  await writeFile(path, `${JSON.stringify({ version: 2, ...size })}\n`);
  await appendEvents(path, events);
}

export async function appendEvents(path: string, events: EventTuple[]) {
  await appendFile(path, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
}

/** The screen text at each of `times` (ascending), replaying every event from the start into one terminal. */
export async function referenceScreens(
  castPath: string,
  header: { width: number; height: number },
  times: number[],
) {
  const terminal = new Terminal({ cols: header.width, rows: header.height, allowProposedApi: true });
  // Waiting for each write would take a timer tick per event; waiting now and then keeps the queue short.
  let queued = 0;
  const settle = () => {
    queued = 0;
    return new Promise<void>((resolve) => terminal.write('', resolve));
  };
  const screens: string[] = [];
  const snapshot = () => {
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < terminal.rows; row++) {
      lines.push(buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
    }
    screens.push(lines.join('\n'));
  };
  let next = 0;
  let time = 0;
  for await (const event of streamCastEvents(castPath)) {
    time = Math.max(time, event.time);
    while (next < times.length && times[next]! < time) {
      await settle();
      snapshot();
      next++;
    }
    if (event.code === 'o') {
      terminal.write(event.data);
      queued += event.data.length;
      if (queued > 4_000_000) await settle();
    }
    const size = event.code === 'r' ? parseResize(event.data) : undefined;
    if (size) {
      await settle();
      terminal.resize(size.cols, size.rows);
    }
  }
  await settle();
  while (next++ < times.length) snapshot();
  terminal.dispose();
  return screens;
}
