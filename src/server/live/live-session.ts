// One running session as this server process shows it live: its current screen (a headless xterm fed
// the cast's output), the recent cast bytes, and its watchers. Bytes are applied in cast order only
// (every frame carries its offset); a gap (frames the publisher dropped, a reconnect, a new process)
// is filled from the session's upload in the store before anything after it is applied or sent.

import { encodeFrame } from '../../api/live-frames.js';
import { parseResize } from '../../replay/cast-format.js';
import { VirtualTerminal } from '../../replay/virtual-terminal.js';
import type { LiveWatcher } from './live-watcher.js';

/** Where the cast's bytes that went past the live stream are read from (the session's upload). */
export interface CastSource {
  /** Bytes of terminal.cast the store holds now (0 when it holds none). */
  size(): Promise<number>;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type EndReason = 'finished' | 'lost';

// Recent bytes kept, so that a watcher that reconnects gets exactly what it missed.
const RING_BYTES = 4 * 1024 * 1024;
// A gap larger than this is not replayed: the screen is rebuilt from the last JUMP_TAIL_BYTES of it.
const MAX_FILL_BYTES = 32 * 1024 * 1024;
const JUMP_TAIL_BYTES = 4 * 1024 * 1024;
const FILL_READ_BYTES = 8 * 1024 * 1024;
const FILL_RETRY_MS = 250;
// The upload sends every 2 s: a gap it has not filled by then is skipped, and watchers get a fresh screen.
const FILL_GIVE_UP_MS = 20_000;
// Frames waiting behind a gap; beyond this they are dropped too, and read from the store later.
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
// A watcher that saw more than this process holds waits this long for it, then gets a fresh screen.
const AHEAD_WAIT_MS = 5000;

interface Frame {
  offset: number;
  lines: Buffer;
}

export class LiveSession {
  private screen: VirtualTerminal | null = null;
  /** Offset in terminal.cast after the last byte applied. */
  next = 0;
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');
  private ring: Frame[] = [];
  private ringBytes = 0;
  private queue: Frame[] = [];
  private queuedBytes = 0;
  private filling = false;
  // Set when xterm.js has more queued than it should: nothing more is fed until it has parsed it.
  private behind = false;
  private readonly watchers = new Set<LiveWatcher>();
  private joining: { watcher: LiveWatcher; from: number | null }[] = [];
  private endReason: EndReason | null = null;
  /** Publishers connected to this process now. */
  publishers = 0;
  /** When a publisher was last seen here or on another process (epoch ms). */
  lastSeen = Date.now();
  readonly since = new Date().toISOString();

  constructor(
    readonly project: string,
    readonly id: string,
    private readonly source: CastSource,
    private readonly onApplied: (offset: number, lines: Buffer) => void = () => undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get watcherCount(): number {
    return this.watchers.size + this.joining.length + this.ahead.length;
  }

  get ended(): boolean {
    return this.endReason !== null;
  }

  /** Reads what the store holds already: for a session this process learns of from a watcher. */
  catchUp(): void {
    this.startFill();
  }

  /** Cast bytes from the publisher or another process, in any order, repeated or with gaps. */
  receive(offset: number, lines: Buffer): void {
    if (this.ended) return;
    this.lastSeen = Date.now();
    // An empty frame says where the stream stands: bytes before it that are not here are a gap.
    if (lines.length === 0 && offset <= this.next) return;
    if (this.filling || this.behind || this.queue.length > 0 || offset > this.next) {
      if (offset + lines.length <= this.next) return;
      if (this.queuedBytes + lines.length <= MAX_QUEUED_BYTES) {
        this.queue.push({ offset, lines });
        this.queuedBytes += lines.length;
      }
      this.startFill();
      return;
    }
    this.applyFrom(offset, lines);
  }

  /** A watcher, subscribed first; it gets the snapshot (or what it missed since `from`), then the rest. */
  join(watcher: LiveWatcher, from: number | null): void {
    if (this.ended) {
      watcher.end(this.endReason!);
      return;
    }
    if (!this.screen || this.filling) this.joining.push({ watcher, from });
    else this.admit(watcher, from);
  }

  leave(watcher: LiveWatcher): void {
    this.watchers.delete(watcher);
    this.joining = this.joining.filter((j) => j.watcher !== watcher);
    this.ahead = this.ahead.filter((a) => a.watcher !== watcher);
  }

  /** Called now and then: a watcher ahead of a quiet session gets its fresh screen after its wait. */
  tick(): void {
    if (this.ahead.length > 0 && !this.filling) this.admitAhead();
  }

  /** The publisher said the recording ended: what is queued is applied first, then watchers are told. */
  end(reason: EndReason): void {
    if (this.ended) return;
    if (reason === 'finished' && (this.filling || this.queue.length > 0)) {
      this.pendingEnd = reason;
      return;
    }
    this.endReason = reason;
    const all = [
      ...this.watchers,
      ...this.joining.map((j) => j.watcher),
      ...this.ahead.map((a) => a.watcher),
    ];
    for (const watcher of all) watcher.end(reason);
    this.watchers.clear();
    this.joining = [];
    this.ahead = [];
    // A snapshot under way is sent before its watcher's end (LiveWatcher): the screen goes after it.
    const screen = this.screen;
    this.screen = null;
    if (screen) void Promise.allSettled([...this.snapshotting]).then(() => screen.dispose());
  }

  private pendingEnd: EndReason | null = null;
  private readonly snapshotting = new Set<Promise<void>>();
  private ahead: { watcher: LiveWatcher; from: number; until: number }[] = [];
  private toStoreEnd = false;

  /** The recording ended without this process hearing it: show what the upload holds, then end. */
  finishFromStore(): void {
    if (this.ended || this.pendingEnd) return;
    this.toStoreEnd = true;
    this.pendingEnd = 'finished';
    this.startFill();
  }

  private admit(watcher: LiveWatcher, from: number | null): void {
    if (from !== null && from > this.next) {
      // It saw more than this process has yet (a restarted server): it waits until this one catches up.
      this.ahead.push({ watcher, from, until: Date.now() + AHEAD_WAIT_MS });
      return;
    }
    const missed = from === null ? null : this.bytesSince(from);
    this.watchers.add(watcher);
    if (missed) {
      for (const frame of missed) watcher.frame(frame.offset, frame.lines);
      return;
    }
    void this.sendSnapshot(watcher);
  }

  /** Subscribed before the snapshot is asked for: frames applied meanwhile wait in the watcher. */
  private async sendSnapshot(watcher: LiveWatcher): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    watcher.hold();
    const offset = this.next;
    const taking = screen.snapshotInOrder().then(
      (snapshot) => watcher.snapshot({ ...snapshot, offset }),
      // It reconnects, and gets a screen from wherever the session is by then.
      () => watcher.close(1011, 'the screen could not be read'),
    );
    this.snapshotting.add(taking);
    await taking;
    this.snapshotting.delete(taking);
  }

  /** The ring's bytes from `from` on, or null when they are not all there. */
  private bytesSince(from: number): Frame[] | null {
    if (from > this.next) return null;
    if (from === this.next) return [];
    const first = this.ring[0];
    if (!first || from < first.offset) return null;
    const out: Frame[] = [];
    for (const frame of this.ring) {
      const end = frame.offset + frame.lines.length;
      if (end <= from) continue;
      out.push(
        frame.offset >= from ? frame : { offset: from, lines: frame.lines.subarray(from - frame.offset) },
      );
    }
    return out;
  }

  /** Applies bytes that start at or before `next` (the part before it is already applied). */
  private applyFrom(offset: number, lines: Buffer): void {
    const skip = this.next - offset;
    if (skip >= lines.length) return;
    const fresh = skip > 0 ? lines.subarray(skip) : lines;
    const at = this.next;
    this.feed(fresh);
    this.next += fresh.length;
    this.ring.push({ offset: at, lines: fresh });
    this.ringBytes += fresh.length;
    while (this.ringBytes > RING_BYTES && this.ring.length > 1)
      this.ringBytes -= this.ring.shift()!.lines.length;
    if (this.watchers.size > 0) {
      const encoded = encodeFrame(at, fresh);
      for (const watcher of this.watchers) watcher.frame(at, fresh, encoded);
    }
    this.onApplied(at, fresh);
    if (this.ahead.length > 0) this.admitAhead();
  }

  /** Watchers that were ahead, once this process has their bytes (or has waited long enough). */
  private admitAhead(): void {
    const now = Date.now();
    const ready = this.ahead.filter((a) => a.from <= this.next || now > a.until);
    if (ready.length === 0) return;
    this.ahead = this.ahead.filter((a) => !ready.includes(a));
    for (const { watcher, from } of ready) this.admit(watcher, from <= this.next ? from : null);
  }

  /** The cast lines into the screen: the header makes it, output draws, resizes resize. */
  private feed(bytes: Buffer): void {
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.feedLine(line);
  }

  private feedLine(line: string): void {
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return; // a line cut by a jump over a gap: the next one is whole
    }
    if (!Array.isArray(value)) {
      const header = value as { width?: unknown; height?: unknown };
      if (!this.screen && typeof header.width === 'number' && typeof header.height === 'number') {
        this.screen = new VirtualTerminal(Math.max(2, header.width), Math.max(2, header.height));
      }
      return;
    }
    const [, code, data] = value as [number, string, string];
    if (!this.screen || typeof data !== 'string') return;
    if (code === 'o') {
      if (this.screen.write(data)) this.behind = true;
    } else if (code === 'r') {
      const size = parseResize(data);
      if (size) this.screen.resizeInOrder(size.cols, size.rows);
    }
  }

  private startFill(): void {
    if (this.filling || this.ended) return;
    this.filling = true;
    void this.fill()
      .catch((error: Error) => {
        this.log(`LIVE ${this.id}: reading the upload failed (${error.message}); trying again`);
        // The store failed to answer: try again shortly (the frames wait in the queue).
        setTimeout(() => this.startFill(), FILL_RETRY_MS).unref();
      })
      .finally(() => this.filled());
  }

  /** After a fill: an end that waited for it, and the watchers that came meanwhile. */
  private filled(): void {
    this.filling = false;
    if (this.ended) return;
    const joining = this.joining;
    this.joining = [];
    // Watchers that came meanwhile get their screen first, even when the end waited for this fill.
    if (this.screen) for (const { watcher, from } of joining) this.admit(watcher, from);
    else this.joining = joining;
    if (this.pendingEnd) this.end(this.pendingEnd);
  }

  /** Reads the gaps from the store, then applies the queued frames, until nothing waits. */
  private async fill(): Promise<void> {
    const started = Date.now();
    for (;;) {
      if (this.ended) return;
      await this.catchUpScreen();
      this.drainQueue();
      if (this.behind) continue;
      const toEnd = !this.screen || this.toStoreEnd;
      const wanted = this.queue[0]?.offset ?? (toEnd ? Number.POSITIVE_INFINITY : null);
      if (wanted === null) return;
      const held = await this.source.size().catch(() => 0);
      if (held > this.next) {
        const upTo = Math.min(held, wanted);
        if (upTo - this.next > MAX_FILL_BYTES) await this.jump(upTo);
        else await this.readInto(upTo);
        continue;
      }
      if (wanted === Number.POSITIVE_INFINITY && this.screen) {
        this.toStoreEnd = false;
        return;
      }
      if (Date.now() - started > FILL_GIVE_UP_MS && this.queue.length > 0) {
        // The upload never brought these bytes: skip them, and redraw every watcher from the screen.
        this.next = this.queue[0]!.offset;
        this.partial = '';
        this.ring = [];
        this.ringBytes = 0;
        this.resnapshotAll();
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, FILL_RETRY_MS));
    }
  }

  /** Waits for xterm.js to parse what it was given, when it was given too much. */
  private async catchUpScreen(): Promise<void> {
    if (!this.behind) return;
    await this.screen?.settle();
    this.behind = false;
  }

  private drainQueue(): void {
    this.queue.sort((a, b) => a.offset - b.offset);
    while (this.queue.length > 0 && this.queue[0]!.offset <= this.next && !this.behind) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.lines.length;
      this.applyFrom(frame.offset, frame.lines);
    }
  }

  private async readInto(upTo: number): Promise<void> {
    while (this.next < upTo && !this.ended) {
      const bytes = await this.source.read(this.next, Math.min(FILL_READ_BYTES, upTo - this.next));
      if (bytes.length === 0) return;
      this.applyFrom(this.next, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      await this.catchUpScreen();
    }
  }

  /** Over a huge gap: the header (for the size), then the last part only; watchers get a fresh screen. */
  private async jump(upTo: number): Promise<void> {
    if (!this.screen) {
      const head = Buffer.from(await this.source.read(0, 64 * 1024));
      const end = head.indexOf(0x0a);
      if (end >= 0 && this.next === 0) this.applyFrom(0, head.subarray(0, end + 1));
    }
    const from = Math.max(this.next, upTo - JUMP_TAIL_BYTES);
    const tail = Buffer.from(await this.source.read(from, upTo - from));
    const lineStart = tail.indexOf(0x0a) + 1;
    this.partial = '';
    this.next = from + lineStart;
    this.ring = [];
    this.ringBytes = 0;
    this.applyFrom(this.next, tail.subarray(lineStart));
    this.resnapshotAll();
  }

  private resnapshotAll(): void {
    for (const watcher of this.watchers) void this.sendSnapshot(watcher);
  }
}
