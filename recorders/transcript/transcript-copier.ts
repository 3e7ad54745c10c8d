// Copies the agent's own conversation log into the session while it runs: incrementally, by byte
// offset, complete lines only (Codex logs reach gigabytes), once a second and once more at the end.
// Until the file exists it keeps looking, by what the agent's hook reported and by the adapter's search.

import { existsSync } from 'node:fs';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { AgentAdapter, TranscriptQuery, TranscriptSource } from '../../src/core/agent.js';

const CHUNK = 1 << 20;
// A conversation holds whatever the agent read and wrote: the copy is the owner's alone.
const COPY_FILE_MODE = 0o600;

export class TranscriptCopier {
  private source: TranscriptSource | null = null;
  private offset = 0;
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private reported: TranscriptSource | null = null;
  /** A copy is under way: a tick that comes meanwhile is skipped rather than queued behind it. */
  private busy = false;

  constructor(
    private readonly adapter: AgentAdapter,
    private readonly query: TranscriptQuery,
    private readonly prepared: unknown,
    private readonly destinationDir: string,
    /** Applied to each copied run of whole lines before it is written (the redactor). */
    private readonly transform: (text: string) => string = (text) => text,
  ) {}

  /** The copy of the transcript in the session folder, once the agent has written one. */
  get destination(): string | null {
    return this.source ? join(this.destinationDir, basename(this.source.path)) : null;
  }

  /** The agent said where its transcript is (a hook): that beats any search, unless the adapter knows better. */
  reportPath(path: string): void {
    if (this.source) return;
    if (this.adapter.acceptsReportedTranscript?.(path, this.query) === false) return;
    this.reported = { path, fromOffset: 0 };
  }

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => void this.poll(false), intervalMs);
    this.timer.unref();
  }

  /** A last copy, whole lines and the rest, once the agent has exited. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.adapter.settleTranscript?.(this.prepared).catch(() => undefined);
    await this.poll(true);
    await this.adapter.afterSession?.(this.prepared);
  }

  private poll(final: boolean): Promise<void> {
    // A slow search (opencode asks its own CLI) must not pile up ticks that the last copy then waits for.
    if (this.busy && !final) return this.running;
    this.busy = true;
    this.running = this.running
      .then(() => this.copy(final))
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
      });
    return this.running;
  }

  /** The reported file once it is there, else the adapter's search; null while neither has one yet. */
  private async locate(): Promise<TranscriptSource | null> {
    if (this.reported && existsSync(this.reported.path)) return this.reported;
    return this.adapter.findTranscript(this.query, this.prepared);
  }

  private lastWhole: string | null = null;

  /** A file the agent rewrites whole: the copy is replaced (atomically) whenever it changed. */
  private async copyWhole(): Promise<void> {
    const text = await readFile(this.source!.path, 'utf8');
    if (text === this.lastWhole) return;
    this.lastWhole = text;
    await writeFileAtomic(this.destination!, this.transform(text), { mode: COPY_FILE_MODE });
  }

  private async copy(final: boolean): Promise<void> {
    if (!this.source) {
      const found = await this.locate();
      // Not there yet (or gone before the first read): looked for again at the next tick.
      if (!found || !existsSync(found.path)) return;
      this.source = found;
      this.offset = found.fromOffset;
      await mkdir(this.destinationDir, { recursive: true });
    }
    if (this.source.rewritten) return this.copyWhole();
    const handle = await open(this.source.path, 'r');
    try {
      for (;;) {
        const buffer = Buffer.alloc(CHUNK);
        const { bytesRead } = await handle.read(buffer, 0, CHUNK, this.offset);
        if (bytesRead === 0) return;
        const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
        // Only whole lines, so the copy never ends in half a record; at the end, the rest too.
        const take = lastNewline >= 0 ? lastNewline + 1 : final ? bytesRead : 0;
        if (take === 0) return;
        // whole lines end on a newline, so the text never splits a UTF-8 character
        await appendFile(this.destination!, this.transform(buffer.subarray(0, take).toString('utf8')), {
          mode: COPY_FILE_MODE,
        });
        this.offset += take;
        if (take < bytesRead && !final) return;
      }
    } finally {
      await handle.close();
    }
  }
}
