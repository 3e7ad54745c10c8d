// A headless xterm.js terminal that replays recorded output: its screen as text, and its state as an escape
// sequence string (SerializeAddon) that a fresh terminal of the same size turns back into the same screen.

import serializeModule from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import { parseResize } from './cast-format.js';

// Both packages are CommonJS: a default import is what NodeNext and esbuild's bundle agree on.
const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeModule;
type XtermTerminal = InstanceType<typeof Terminal>;

/** A terminal's state, to start another terminal from (the content of a keyframe). */
export interface TerminalSnapshot {
  cols: number;
  rows: number;
  /** The scrollback limit to give the restored terminal. */
  scrollback: number;
  /** Escape sequences that draw the state into a fresh terminal of that size. */
  screen: string;
}

/** The few xterm.js internals that say whether a serialized screen would restore exactly (see isQuiet). */
interface XtermInternals {
  _inputHandler?: { _parser?: { currentState?: number } };
  _charsetService?: { glevel?: number; charset?: unknown };
  buffers?: { active?: BufferInternals; normal?: BufferInternals; alt?: BufferInternals };
}
interface BufferInternals {
  x: number;
  y: number;
  ybase: number;
  scrollTop: number;
  scrollBottom: number;
  /** Where ESC 7 saved the cursor; savedY counts from the top of the scrollback. */
  savedX?: number;
  savedY?: number;
}

/** xterm.js's default, and what a full replay uses. */
const SCROLLBACK_LINES = 1000;
const PARSER_GROUND_STATE = 0;
const SCROLLBACK_SCREENS = 2;
// SerializeAddon's switch to the alternate screen; cell text never holds ESC, so it occurs once at most.
const ALTERNATE_SCREEN_START = '\x1b[?1049h\x1b[H';
// Output is joined into strings of about this size before xterm.js gets it: one call per event costs more.
const WRITE_CHUNK_CHARS = 256 * 1024;
// xterm.js drops data when more than 50 MB waits to be parsed; callers wait for it well before.
const MAX_QUEUED_CHARS = 8 * 1024 * 1024;

export class VirtualTerminal {
  private readonly terminal: XtermTerminal;
  private readonly serializer = new SerializeAddon();
  private unwritten = '';
  private queuedChars = 0;

  constructor(
    cols: number,
    rows: number,
    private readonly scrollbackLimit = SCROLLBACK_LINES,
  ) {
    this.terminal = new Terminal({ cols, rows, scrollback: scrollbackLimit, allowProposedApi: true });
    this.terminal.loadAddon(this.serializer);
  }

  /** A terminal in the state snapshot() saw. */
  static async restore(snapshot: TerminalSnapshot): Promise<VirtualTerminal> {
    const terminal = new VirtualTerminal(snapshot.cols, snapshot.rows, snapshot.scrollback);
    terminal.write(snapshot.screen);
    await terminal.settle();
    return terminal;
  }

  get cols(): number {
    return this.terminal.cols;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  /** Queues output; xterm parses it asynchronously, in order. True when the caller should settle() first. */
  write(data: string): boolean {
    this.unwritten += data;
    if (this.unwritten.length >= WRITE_CHUNK_CHARS) this.passOn();
    return this.queuedChars >= MAX_QUEUED_CHARS;
  }

  /** Resolves once everything written so far is parsed. */
  settle(): Promise<void> {
    this.passOn();
    this.queuedChars = 0;
    return new Promise((resolve) => this.terminal.write('', resolve));
  }

  /** resize() acts at once while writes are parsed later, so the queue is drained first to keep the order. */
  async resize(cols: number, rows: number): Promise<void> {
    await this.settle();
    if (cols !== this.terminal.cols || rows !== this.terminal.rows) this.terminal.resize(cols, rows);
  }

  /**
   * A resize in its place in the stream, without waiting: it happens once what was written before it is
   * parsed and before anything written after it is (xterm.js runs write callbacks between its chunks).
   */
  resizeInOrder(cols: number, rows: number): void {
    this.passOn();
    this.terminal.write('', () => {
      if (cols !== this.terminal.cols || rows !== this.terminal.rows) this.terminal.resize(cols, rows);
    });
  }

  /** The snapshot of exactly what was written so far, whatever is written while it is taken (live watching). */
  snapshotInOrder(): Promise<TerminalSnapshot> {
    this.passOn();
    this.queuedChars = 0;
    return new Promise((resolve) => this.terminal.write('', () => resolve(this.snapshot())));
  }

  /** The visible screen (the active buffer's: vim's or less's while they run), trailing spaces trimmed. */
  screenText(): string {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.terminal.rows; row++) {
      lines.push(buffer.getLine(buffer.baseY + row)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  }

  /**
   * The state as escape sequences: some scrollback (so a later resize that grows the terminal pulls down the
   * same lines a full replay would), the screen, the alternate screen when active (SerializeAddon writes the
   * normal buffer, then `CSI ?1049h` and the alternate one), modes and attributes; then what SerializeAddon
   * leaves out or gets wrong: the scroll margins, the cursor saved by ESC 7, and the cursor itself, placed
   * absolutely (SerializeAddon moves it relatively from the last cell written, which is off by one when that
   * cell is in the last column). Call after settle().
   *
   * The restored terminal gets a scrollback limit shortened by the lines left out, so that it fills up at the
   * same moment as this one: xterm.js re-wraps lines differently on a resize once the scrollback is full.
   */
  snapshot(): TerminalSnapshot {
    const kept = this.scrollbackToKeep();
    const buffers = this.internals().buffers;
    let screen = withoutZeroMoves(this.serializer.serialize({ scrollback: kept }));
    if (buffers?.normal && buffers.active !== buffers.normal) {
      // Entering the alternate screen saves the cursor of the normal one, which leaving it restores.
      const normalCursor = `\x1b[${buffers.normal.y + 1};${Math.min(buffers.normal.x, this.cols - 1) + 1}H`;
      screen = screen.replace(ALTERNATE_SCREEN_START, `${normalCursor}${ALTERNATE_SCREEN_START}`);
    }
    if (buffers?.active) screen += this.cursorSequence(buffers.active);
    const leftOut = this.terminal.buffer.normal.baseY - kept;
    return {
      cols: this.cols,
      rows: this.rows,
      scrollback: Math.max(kept, this.scrollbackLimit - leftOut),
      screen,
    };
  }

  /**
   * Whether snapshot() would restore this state exactly: not in the middle of an escape sequence (a PTY chunk
   * may end anywhere), no pending wrap at the right margin, the default character set, and no scroll margins
   * on a normal buffer hidden behind the alternate one. Keyframes are taken only at such moments. When the
   * internals are not where this xterm.js version keeps them, the answer is yes (the test suite checks them).
   */
  isQuiet(): boolean {
    const core = this.internals();
    const parserState = core._inputHandler?._parser?.currentState;
    if (parserState !== undefined && parserState !== PARSER_GROUND_STATE) return false;
    const charsets = core._charsetService;
    if (charsets && (charsets.glevel !== 0 || charsets.charset !== undefined)) return false;
    const active = core.buffers?.active;
    if (active && active.x >= this.terminal.cols) return false;
    const normal = core.buffers?.normal;
    if (normal && active !== normal && !hasFullMargins(normal, this.terminal.rows)) return false;
    return true;
  }

  /** Whether the xterm.js internals that isQuiet() reads are present (for the test suite). */
  internalsFound(): boolean {
    const core = this.internals();
    return (
      typeof core._inputHandler?._parser?.currentState === 'number' &&
      typeof core._charsetService?.glevel === 'number' &&
      typeof core.buffers?.active?.scrollBottom === 'number' &&
      typeof core.buffers?.normal?.x === 'number' &&
      typeof core.buffers.normal.ybase === 'number' &&
      typeof core.buffers.normal.savedY === 'number'
    );
  }

  dispose(): void {
    this.terminal.dispose();
  }

  /**
   * Two screens of scrollback, and more up to the start of a wrapped line cut by that limit: a later resize
   * pulls lines down from the scrollback and re-wraps long lines, and only whole lines re-wrap the same way.
   */
  private scrollbackToKeep(): number {
    const buffer = this.terminal.buffer.normal;
    let keep = Math.min(buffer.baseY, SCROLLBACK_SCREENS * this.terminal.rows);
    while (keep < buffer.baseY && buffer.getLine(buffer.baseY - keep)?.isWrapped) keep++;
    return keep;
  }

  private passOn(): void {
    if (this.unwritten === '') return;
    this.terminal.write(this.unwritten);
    this.queuedChars += this.unwritten.length;
    this.unwritten = '';
  }

  /** Scroll margins, the cursor saved by ESC 7, and the cursor, for the active buffer. */
  private cursorSequence(buffer: BufferInternals): string {
    const rows = this.rows;
    // Setting margins homes the cursor, so that comes first; in origin mode rows count from the top margin.
    const margins = hasFullMargins(buffer, rows)
      ? ''
      : `\x1b[${buffer.scrollTop + 1};${buffer.scrollBottom + 1}r`;
    const top = this.terminal.modes.originMode ? buffer.scrollTop : 0;
    const moveTo = (x: number, y: number) =>
      `\x1b[${clamp(y, 0, rows - 1) - top + 1};${clamp(x, 0, this.cols - 1) + 1}H`;
    const saved =
      buffer.savedX !== undefined && buffer.savedY !== undefined
        ? `${moveTo(buffer.savedX, buffer.savedY - buffer.ybase)}\x1b7`
        : '';
    return `${margins}${saved}${moveTo(buffer.x, buffer.y)}`;
  }

  private internals(): XtermInternals {
    return ((this.terminal as unknown as { _core?: XtermInternals })._core ?? {}) as XtermInternals;
  }
}

/**
 * SerializeAddon (0.14) writes `CSI 0 C` / `CSI 0 D` meaning "no move" when it forces a wrap after a blank
 * row, but terminals read 0 as 1 and leave a stray '-' on screen. Cell text never holds ESC, so this is safe.
 */
function withoutZeroMoves(serialized: string): string {
  return serialized.replaceAll('\x1b[0C', '').replaceAll('\x1b[0D', '');
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function hasFullMargins(buffer: BufferInternals, rows: number): boolean {
  return buffer.scrollTop === 0 && buffer.scrollBottom === rows - 1;
}

/**
 * Applies one cast event to the screen: output, and resizes (the recorded program drew for the new size).
 * Input, markers and exit change nothing. Returns a promise only when the caller must wait.
 */
export function applyCastEvent(
  terminal: VirtualTerminal,
  event: { code: string; data: string },
): Promise<void> | undefined {
  if (event.code === 'o') return terminal.write(event.data) ? terminal.settle() : undefined;
  if (event.code === 'r') {
    const size = parseResize(event.data);
    if (size) return terminal.resize(size.cols, size.rows);
  }
  return undefined;
}
