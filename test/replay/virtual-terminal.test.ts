// Checks that a terminal restored from a snapshot behaves as the original for what comes next: the alternate
// screen of full-screen programs, scroll margins, the cursor saved by ESC 7, a cursor beside a full row, and
// the cases SerializeAddon gets wrong; and that isQuiet() refuses moments a snapshot cannot restore.

import { describe, expect, it } from 'vitest';
import { VirtualTerminal } from '../../src/replay/virtual-terminal.js';

async function terminalAfter(output: string, cols = 20, rows = 6): Promise<VirtualTerminal> {
  const terminal = new VirtualTerminal(cols, rows);
  terminal.write(output);
  await terminal.settle();
  return terminal;
}

/** The screens of the original and of its restored copy after both receive `next`. */
async function afterRestore(before: string, next: string, cols = 20, rows = 6) {
  const original = await terminalAfter(before, cols, rows);
  const copy = await VirtualTerminal.restore(original.snapshot());
  expect(copy.screenText(), 'the restored screen').toBe(original.screenText());
  original.write(next);
  copy.write(next);
  await Promise.all([original.settle(), copy.settle()]);
  return { original: original.screenText(), copy: copy.screenText() };
}

describe('VirtualTerminal snapshots', () => {
  it('finds the xterm.js internals that isQuiet() and snapshot() read', () => {
    expect(new VirtualTerminal(10, 5).internalsFound()).toBe(true);
  });

  it('restore the alternate screen, and the normal screen and cursor behind it', async () => {
    // The cursor sits beside a full row, where SerializeAddon alone would put it one column off.
    const shell = `line 1\r\n${'='.repeat(20)}\x1b[20G`;
    const vim = '\x1b[?1049h\x1b[H\x1b[2J~\r\n~\r\n\x1b[1;1Hfile.txt';
    const { original, copy } = await afterRestore(shell + vim, '\x1b[?1049l|');
    expect(original).toBe(`line 1\n${'='.repeat(19)}|\n\n\n\n`);
    expect(copy).toBe(original);
  });

  it('restore scroll margins, so output scrolls only between them', async () => {
    const before = 'header\r\n\x1b[2;4r\x1b[4;1Ha\r\nb\r\nc\x1b[6;1Hfooter\x1b[4;1H';
    const { original, copy } = await afterRestore(before, '\r\nd\r\ne');
    expect(original).toBe('header\nc\nd\ne\n\nfooter');
    expect(copy).toBe(original);
  });

  it('restore scroll margins in origin mode, where rows count from the top margin', async () => {
    const before = '\x1b[3;5r\x1b[?6h\x1b[2;1Hin region';
    const { original, copy } = await afterRestore(before, '\x1b[1;1Htop of region\r\n\n\n\nscrolled');
    expect(copy).toBe(original);
  });

  it('restore the cursor saved by ESC 7', async () => {
    const { original, copy } = await afterRestore('ab\x1b7\r\n\r\nlower', '\x1b8X');
    expect(original).toBe('abX\n\nlower\n\n\n');
    expect(copy).toBe(original);
  });

  it('put the cursor back beside a row filled to the last column', async () => {
    const before = `${'='.repeat(20)}\x1b[20G`;
    const { original, copy } = await afterRestore(before, '[');
    expect(original.split('\n')[0]).toBe(`${'='.repeat(19)}[`);
    expect(copy).toBe(original);
  });

  it('restore a wrapped line whose first row was erased without a stray character', async () => {
    const before = `${'a'.repeat(25)}\x1b[A\x1b[2K\x1b[2B`;
    const { original, copy } = await afterRestore(before, 'next');
    expect(copy).toBe(original);
  });

  it('restore wide characters at the end of a row', async () => {
    const { original, copy } = await afterRestore(`${'x'.repeat(19)}日本語\r\n`, 'more');
    expect(copy).toBe(original);
  });
});

describe('VirtualTerminal.isQuiet', () => {
  it('is false in the middle of an escape sequence', async () => {
    const terminal = await terminalAfter('text\x1b[3');
    expect(terminal.isQuiet()).toBe(false);
    terminal.write('1mred');
    await terminal.settle();
    expect(terminal.isQuiet()).toBe(true);
  });

  it('is false when the cursor waits to wrap past the last column', async () => {
    expect((await terminalAfter('x'.repeat(20))).isQuiet()).toBe(false);
    expect((await terminalAfter(`${'x'.repeat(20)}\r\n`)).isQuiet()).toBe(true);
  });

  it('is false while another character set is selected', async () => {
    expect((await terminalAfter('\x1b(0qqq')).isQuiet()).toBe(false);
    expect((await terminalAfter('\x1b(0qqq\x1b(B')).isQuiet()).toBe(true);
    expect((await terminalAfter('\x0e')).isQuiet()).toBe(false);
  });

  it('is false when the normal screen behind the alternate one has scroll margins', async () => {
    expect((await terminalAfter('\x1b[2;4r\x1b[?1049h')).isQuiet()).toBe(false);
    expect((await terminalAfter('\x1b[?1049h\x1b[2;4r')).isQuiet()).toBe(true);
  });
});
