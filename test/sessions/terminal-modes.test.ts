// Which terminal modes a program left on, read from its output, and the bytes that switch them off:
// checked against xterm.js, which interprets them as a real terminal does.

import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { BLIND_RESETS, ModeTracker } from '../../src/sessions/terminal-modes.js';

const { Terminal } = xtermHeadless;

/** The modes of a terminal that received `bytes`. */
async function modesAfter(bytes: string) {
  const terminal = new Terminal({ cols: 80, rows: 24, allowProposedApi: true });
  await new Promise<void>((resolve) => terminal.write(bytes, resolve));
  const modes = { ...terminal.modes };
  terminal.dispose();
  return modes;
}

const FULL_SCREEN_START = '\x1b[?1049h\x1b[?1h\x1b=\x1b[?1000;1006h\x1b[?2004h\x1b[?1004h\x1b[?25l';

describe('ModeTracker', () => {
  it('switches off what a full-screen program left on: cursor keys, keypad, mouse, paste, focus, cursor', async () => {
    const tracker = new ModeTracker();
    tracker.observe(Buffer.from(`${FULL_SCREEN_START}editing...`));
    const modes = await modesAfter(FULL_SCREEN_START + tracker.resets());
    expect(modes).toMatchObject({
      applicationCursorKeysMode: false,
      applicationKeypadMode: false,
      mouseTrackingMode: 'none',
      bracketedPasteMode: false,
      sendFocusMode: false,
    });
    expect(tracker.resets()).toContain('\x1b[?1l');
    expect(tracker.resets()).toContain('\x1b>');
    expect(tracker.resets()).toContain('\x1b[?25h');
    expect(tracker.resets()).toContain('\x1b[?1049l');
  });

  it('sees a sequence split across two chunks', () => {
    const tracker = new ModeTracker();
    tracker.observe(Buffer.from('abc\x1b[?'));
    tracker.observe(Buffer.from('1hdef\x1b'));
    tracker.observe(Buffer.from('=ghi'));
    expect(tracker.resets()).toBe('\x1b[?1l\x1b>');
  });

  it('sends nothing for modes the program switched off itself', () => {
    const tracker = new ModeTracker();
    tracker.observe(Buffer.from('\x1b[?1h\x1b=\x1b[?1049h'));
    tracker.observe(Buffer.from('\x1b[?1049l\x1b>\x1b[?1l$ '));
    expect(tracker.resets()).toBe('');
  });

  it('does not mistake longer mode numbers for cursor keys', () => {
    const tracker = new ModeTracker();
    tracker.observe(Buffer.from('\x1b[?1000h\x1b[?1049h'));
    expect(tracker.resets()).not.toContain('\x1b[?1l');
  });

  it('the blind resets of the watchdog put every common mode back to its default', async () => {
    const modes = await modesAfter(FULL_SCREEN_START + BLIND_RESETS);
    expect(modes).toMatchObject({
      applicationCursorKeysMode: false,
      applicationKeypadMode: false,
      mouseTrackingMode: 'none',
      bracketedPasteMode: false,
      sendFocusMode: false,
      wraparoundMode: true,
      originMode: false,
    });
  });
});
