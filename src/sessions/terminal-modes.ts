// The terminal modes a full-screen program can leave behind (alternate screen, mouse reporting,
// application cursor keys and keypad...), how to tell from its output which it switched on, and the
// bytes that put each back to the terminal's default.

export interface TerminalMode {
  name: string;
  /** The bytes that put the terminal back to its default for this mode. */
  reset: string;
  /** Sent only when the program was seen to use it: a terminal without it may misread the reset. */
  onlyWhenSeen?: boolean;
}

// DEC private modes (CSI ? n h / CSI ? n l) and whether "set" (h) is the one a program leaves on.
const PRIVATE_MODES: { param: number; name: string; setIsOn: boolean }[] = [
  { param: 1, name: 'application cursor keys (DECCKM)', setIsOn: true },
  { param: 6, name: 'origin mode', setIsOn: true },
  { param: 7, name: 'autowrap off', setIsOn: false },
  { param: 9, name: 'X10 mouse reporting', setIsOn: true },
  { param: 25, name: 'hidden cursor', setIsOn: false },
  { param: 47, name: 'alternate screen (47)', setIsOn: true },
  { param: 1047, name: 'alternate screen (1047)', setIsOn: true },
  { param: 1049, name: 'alternate screen', setIsOn: true },
  { param: 1000, name: 'mouse reporting', setIsOn: true },
  { param: 1002, name: 'mouse drag reporting', setIsOn: true },
  { param: 1003, name: 'mouse motion reporting', setIsOn: true },
  { param: 1004, name: 'focus reporting', setIsOn: true },
  { param: 1005, name: 'UTF-8 mouse encoding', setIsOn: true },
  { param: 1006, name: 'SGR mouse encoding', setIsOn: true },
  { param: 1015, name: 'urxvt mouse encoding', setIsOn: true },
  { param: 66, name: 'application keypad (DECNKM)', setIsOn: true },
  { param: 2004, name: 'bracketed paste', setIsOn: true },
  // left on, the terminal holds back what it draws
  { param: 2026, name: 'synchronized output', setIsOn: true },
];

export const MODES: TerminalMode[] = [
  ...PRIVATE_MODES.map((m) => ({ name: m.name, reset: `\x1b[?${m.param}${m.setIsOn ? 'l' : 'h'}` })),
  { name: 'application keypad (DECKPAM)', reset: '\x1b>' },
  { name: 'modifyOtherKeys', reset: '\x1b[>4m', onlyWhenSeen: true },
  // kitty's keyboard protocol is a stack: popping more entries than were pushed empties it
  { name: 'kitty keyboard protocol', reset: '\x1b[<99u', onlyWhenSeen: true },
];

const KEYPAD = MODES.findIndex((m) => m.reset === '\x1b>');
const MODIFY_OTHER_KEYS = KEYPAD + 1;
const KITTY_KEYBOARD = KEYPAD + 2;

/** The resets every terminal understands, all at once: for when sdd could not say what is on (kill -9). */
export const BLIND_RESETS = MODES.filter((m) => !m.onlyWhenSeen)
  .map((m) => m.reset)
  .join('');

// CSI ? Pm h|l, ESC = / ESC >, CSI > 4 ; n m, CSI > n u (push) / CSI < n u (pop)
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences begin with ESC
const SEQUENCE = /\x1b(?:\[\?([\d;]+)([hl])|([=>])|\[>4(?:;(\d*))?m|\[([<>])\d*u)/g;

/** Follows the program's output: which modes are on now, across chunk boundaries. */
export class ModeTracker {
  private readonly on = new Set<number>();
  private tail = '';

  observe(data: Buffer): void {
    // The tail of the previous chunk is read again: a sequence split in two is seen whole, and one
    // seen twice changes nothing since it is applied in order.
    const text = this.tail + data.toString('latin1');
    for (const match of text.matchAll(SEQUENCE)) {
      const [, params, hl, keypad, otherKeys, kitty] = match;
      if (params && hl) {
        for (const param of params.split(';')) {
          const index = PRIVATE_MODES.findIndex((m) => m.param === Number(param));
          if (index >= 0) this.set(index, (hl === 'h') === PRIVATE_MODES[index]!.setIsOn);
        }
      } else if (keypad) this.set(KEYPAD, keypad === '=');
      else if (otherKeys !== undefined) this.set(MODIFY_OTHER_KEYS, otherKeys !== '' && otherKeys !== '0');
      else if (kitty) this.set(KITTY_KEYBOARD, kitty === '>');
    }
    // long enough for the longest sequence followed (a mouse mode list such as ?1000;1006;1015h)
    this.tail = text.slice(-32);
  }

  /** The resets for the modes the program left on. */
  resets(): string {
    return [...this.on]
      .sort((a, b) => a - b)
      .map((i) => MODES[i]!.reset)
      .join('');
  }

  clear(): void {
    this.on.clear();
  }

  private set(index: number, on: boolean): void {
    if (on) this.on.add(index);
    else this.on.delete(index);
  }
}
