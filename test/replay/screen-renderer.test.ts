// Checks the screen shown at a moment of a small recording: text, cursor moves, clears, colors dropped to
// plain text, a resize, the alternate screen of full-screen programs, and moments past the end.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.js';
import { renderScreenAt } from '../../src/replay/screen-renderer.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type EventTuple, writeCast } from './cast-files.js';

const events: EventTuple[] = [
  [0.5, 'o', 'hello\r\n'],
  [1.0, 'o', 'world'],
  [2.0, 'o', '\x1b[2J\x1b[Htop\x1b[3;5Hmid'],
  [3.0, 'o', '\x1b[5;1H\x1b[1;31mred\x1b[0m \x1b[38;5;82mgreen\x1b[0m'],
  [4.0, 'r', '12x4'],
  [4.5, 'o', '\x1b[H\x1b[2Jsmall'],
  [5.0, 'o', '\x1b[?1049h\x1b[H\x1b[2J~\r\n~ VIM'],
  [5.5, 'm', 'in vim'],
  [6.0, 'o', '\x1b[?1049l'],
  [7.0, 'o', '\r\nbye'],
];

function lines(...rows: string[]): string {
  return rows.join('\n');
}

describe('renderScreenAt', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let castPath: string;
  beforeAll(async () => {
    dir = await makeTempDir('sdd-render-');
    castPath = join(dir.path, 'terminal.cast');
    await writeCast(castPath, { width: 20, height: 5 }, events);
  });
  afterAll(async () => {
    await dir.remove();
  });

  it('shows an empty screen of the header size before the first event', async () => {
    expect(await renderScreenAt(castPath, 0)).toEqual({
      text: lines('', '', '', '', ''),
      cols: 20,
      rows: 5,
      atSeconds: 0,
    });
  });

  it('shows the text written up to the moment, events at that very moment included', async () => {
    expect((await renderScreenAt(castPath, 0.9)).text).toBe(lines('hello', '', '', '', ''));
    expect((await renderScreenAt(castPath, 1.0)).text).toBe(lines('hello', 'world', '', '', ''));
  });

  it('follows a clear and cursor moves', async () => {
    expect((await renderScreenAt(castPath, 2)).text).toBe(lines('top', '', '    mid', '', ''));
  });

  it('drops colors and keeps the text', async () => {
    expect((await renderScreenAt(castPath, 3)).text).toBe(lines('top', '', '    mid', '', 'red green'));
  });

  it('applies a resize', async () => {
    const screen = await renderScreenAt(castPath, 4.6);
    expect(screen).toMatchObject({ cols: 12, rows: 4 });
    expect(screen.text).toBe(lines('small', '', '', ''));
  });

  it('shows the alternate screen while a full-screen program runs, and the normal one after', async () => {
    expect((await renderScreenAt(castPath, 5.7)).text).toBe(lines('~', '~ VIM', '', ''));
    expect((await renderScreenAt(castPath, 6)).text).toBe(lines('small', '', '', ''));
  });

  it('shows the last screen past the end, and says where the end is', async () => {
    const screen = await renderScreenAt(castPath, 1e6);
    expect(screen).toEqual({ text: lines('small', 'bye', '', ''), cols: 12, rows: 4, atSeconds: 7 });
  });

  it('gives the same screens without the keyframe index', async () => {
    for (const at of [0.5, 2, 4.6, 5.7, 10]) {
      expect(await renderScreenAt(castPath, at, { keyframes: false })).toEqual(
        await renderScreenAt(castPath, at),
      );
    }
  });

  it('refuses a negative moment and a missing recording', async () => {
    await expect(renderScreenAt(castPath, -1)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(renderScreenAt(join(dir.path, 'none.cast'), 1)).rejects.toBeInstanceOf(NotFoundError);
  });
});
