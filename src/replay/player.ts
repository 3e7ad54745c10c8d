// Plays a recording in the user's terminal with its recorded timing (faster or slower, long pauses
// shortened), with keys to pause, step, jump to the next marker or checkpoint, and quit.

import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidInputError } from '../core/errors.js';
import type { CastEvent, ParsedCast } from './cast-format.js';
import { readCastHeader, streamCastEvents } from './cast-reader.js';
import { type KeyInput, listenForKeys, type PlayerKey } from './player-keys.js';

export interface PlayOptions {
  output: NodeJS.WritableStream;
  /** Keys are read from it when it is a terminal (space pause, . step, ] next marker, q quit). */
  input?: KeyInput;
  speed?: number;
  /** Seconds: longer pauses are shortened to this; the cast's idle_time_limit by default. */
  idleLimit?: number;
  /** More moments (cast seconds) for `]` to jump to besides the cast's own markers, e.g. checkpoints. */
  markers?: number[];
  /** The clock, for tests: `sleep` may stop early when `signal` aborts; `now` is in milliseconds. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

// While jumping, output is gathered and written in pieces of about this size.
const JUMP_WRITE_CHARS = 64 * 1024;

export async function playCast(source: string | ParsedCast, options: PlayOptions): Promise<void> {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new InvalidInputError(`The playback speed must be a number above 0; got ${speed}.`);
  }
  if (options.idleLimit !== undefined && !(options.idleLimit > 0)) {
    throw new InvalidInputError(
      `The idle limit must be a number of seconds above 0; got ${options.idleLimit}.`,
    );
  }
  const header = typeof source === 'string' ? (await readCastHeader(source)).header : source.header;
  const events = typeof source === 'string' ? streamCastEvents(source) : source.events;
  const playback = new Playback(options, speed, options.idleLimit ?? header.idleTimeLimit ?? Infinity);
  const stopListening = listenForKeys(options.input, (key) => playback.press(key));
  try {
    await playback.play(events);
  } finally {
    stopListening();
    // A recording stopped midway may leave its program's modes on (vim's alternate screen, a hidden
    // cursor, mouse reporting): a terminal gets them switched off, as the recorded program would have.
    if ((options.output as NodeJS.WriteStream).isTTY) options.output.write(RESET_MODES);
  }
}

const RESET_MODES = '\x1b[0m\x1b[?1049l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h';

/**
 * The timing loop. Times are on a "virtual" timeline: cast seconds with pauses cut to the idle limit. An
 * event is due when the clock passes `anchor + virtual time / speed`; pausing or jumping moves the anchor.
 */
class Playback {
  private readonly output: NodeJS.WritableStream;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly markers: number[];
  private anchor = 0;
  private paused = false;
  /** Virtual seconds reached when paused (or when a jump ends while paused). */
  private pausedAt = 0;
  private steps = 0;
  private quitting = false;
  /** While jumping: the cast time of the extra marker to stop at (Infinity: only a cast marker will do). */
  private jumpUntil: number | undefined;
  /** The cast time and virtual time of the last event handled. */
  private castTime = 0;
  private virtualTime = 0;
  private unwritten = '';
  private wake: (() => void) | undefined;

  constructor(
    options: PlayOptions,
    private readonly speed: number,
    private readonly idleLimit: number,
  ) {
    this.output = options.output;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }).catch(() => {}));
    this.now = options.now ?? (() => performance.now());
    this.markers = [...(options.markers ?? [])].sort((a, b) => a - b);
  }

  press(key: PlayerKey): void {
    if (key === 'quit') this.quitting = true;
    if (key === 'pause') this.togglePause();
    if (key === 'step' && this.paused) this.steps++;
    if (key === 'next-marker') this.jumpUntil = this.markers.find((time) => time > this.castTime) ?? Infinity;
    this.wake?.();
  }

  async play(events: Iterable<CastEvent> | AsyncIterable<CastEvent>): Promise<void> {
    this.anchor = this.now();
    for await (const event of events) {
      const eventVirtualTime =
        this.virtualTime + Math.min(Math.max(0, event.time - this.castTime), this.idleLimit);
      if (!(await this.waitFor(event, eventVirtualTime))) return;
      if (event.code === 'o') this.unwritten += event.data;
      if (this.jumpUntil === undefined || this.unwritten.length >= JUMP_WRITE_CHARS) await this.writeOut();
      this.castTime = Math.max(this.castTime, event.time);
      this.virtualTime = eventVirtualTime;
      if (this.jumpUntil !== undefined && event.code === 'm') this.land(eventVirtualTime);
    }
    await this.writeOut();
  }

  /** Waits until `event` is due (now when jumping or stepping); false when the user quits. */
  private async waitFor(event: CastEvent, eventVirtualTime: number): Promise<boolean> {
    for (;;) {
      if (this.quitting) return false;
      if (this.jumpUntil !== undefined) {
        if (event.time < this.jumpUntil) return true;
        // Reached the extra marker: play on from it, at the same pace as before the jump.
        this.land(this.virtualTime + Math.min(this.jumpUntil - this.castTime, this.idleLimit));
        continue;
      }
      if (this.paused) {
        if (this.steps > 0 && event.code === 'o') {
          this.steps--;
          this.pausedAt = eventVirtualTime;
          return true;
        }
        if (this.steps > 0) return true; // events that show nothing do not use up a step
        await this.writeOut();
        await this.nextKey();
        continue;
      }
      const wait = this.anchor + (eventVirtualTime * 1000) / this.speed - this.now();
      if (wait <= 0) return true;
      await this.writeOut();
      await this.sleepOrKey(wait);
    }
  }

  private togglePause(): void {
    if (this.paused) {
      this.anchor = this.now() - (this.pausedAt * 1000) / this.speed;
    } else {
      const reached = ((this.now() - this.anchor) * this.speed) / 1000;
      this.pausedAt = Math.max(this.virtualTime, reached);
    }
    this.paused = !this.paused;
  }

  /** Ends a jump at `virtualTime`. */
  private land(virtualTime: number): void {
    this.jumpUntil = undefined;
    if (this.paused) this.pausedAt = virtualTime;
    else this.anchor = this.now() - (virtualTime * 1000) / this.speed;
  }

  private async sleepOrKey(ms: number): Promise<void> {
    const abort = new AbortController();
    try {
      await Promise.race([this.sleep(ms, abort.signal), this.nextKey()]);
    } finally {
      // A key ended the wait early: the sleep's timer must not keep the process alive.
      abort.abort();
      this.wake = undefined;
    }
  }

  private nextKey(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private async writeOut(): Promise<void> {
    if (this.unwritten === '') return;
    const text = this.unwritten;
    this.unwritten = '';
    if (!this.output.write(text)) await once(this.output, 'drain');
  }
}
