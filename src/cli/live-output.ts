// What `sdd watch` prints: the screen of a snapshot, then the output events of the cast lines that
// follow it, as the recorded program wrote them (or one JSON object a line with --json). Holds the
// stream back while stdout cannot take more, so a slow pipe never grows sdd's memory.

import type { WatcherMessage } from '../api/live-frames.js';

type Snapshot = Extract<WatcherMessage, { type: 'snapshot' }>;

export class LiveOutput {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');
  private draining: Promise<void> | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly json: boolean,
  ) {}

  /** A fresh screen: at a terminal it replaces what is shown; in a pipe it is written as it is. */
  snapshot(message: Snapshot): void {
    this.partial = '';
    if (this.json) {
      this.write(`${JSON.stringify(message)}\n`);
      return;
    }
    this.write(this.out.isTTY ? `\x1b[!p\x1b[H\x1b[2J${message.screen}` : message.screen);
  }

  /** Cast bytes, whole lines or not: each complete line's output is written. */
  bytes(lines: Buffer): void {
    const text = this.partial + this.decoder.decode(lines, { stream: true });
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    let output = '';
    for (const line of parts) {
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (!Array.isArray(value)) continue; // the header, on a watch from the start
      const [time, code, data] = value as [number, string, string];
      if (this.json) output += `${JSON.stringify({ type: eventName(code), time, data })}\n`;
      else if (code === 'o') output += data;
    }
    if (output !== '') this.write(output);
  }

  end(reason: 'finished' | 'lost'): void {
    if (this.json) this.write(`${JSON.stringify({ type: 'end', reason })}\n`);
  }

  /** Non-null while stdout is backed up: the caller stops reading until it resolves. */
  pause(): { resume: Promise<void> } | null {
    return this.draining ? { resume: this.draining } : null;
  }

  private write(text: string): void {
    if (!this.out.write(text) && !this.draining) {
      this.draining = new Promise<void>((resolve) =>
        this.out.once('drain', () => {
          this.draining = null;
          resolve();
        }),
      );
    }
  }
}

function eventName(code: string): string {
  return { o: 'output', i: 'input', r: 'resize', m: 'marker' }[code] ?? code;
}
