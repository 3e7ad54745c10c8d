// Live sessions across the server processes of one PostgreSQL database: LISTEN/NOTIFY on one
// channel. NOTIFY payloads stay under 8000 bytes, so a frame's bytes go in base64 pieces of a few KB,
// each with its own offset (a receiver needs no reassembly: it applies bytes by offset). Sends are
// batched into one statement per turn and never waited for; past a bound, frames are dropped (the
// receiver fills the gap from the session's upload).

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { LiveRelay, LiveRelayMessage } from '../../core/live-relay.js';

const CHANNEL = 'sdd_live';
// Raw bytes per NOTIFY: 5400 in base64 is 7200 characters, with room for the ids before them.
const PIECE_BYTES = 5400;
// Payloads per statement, and bytes waiting to be sent before frames are dropped.
const PER_STATEMENT = 200;
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const RELISTEN_MS = 1000;

export class PostgresLiveRelay implements LiveRelay {
  private readonly me = randomUUID().slice(0, 8);
  private readonly handlers: ((message: LiveRelayMessage) => void)[] = [];
  private listener: pg.PoolClient | null = null;
  private queue: string[] = [];
  private queuedBytes = 0;
  private sending = false;
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<PostgresLiveRelay> {
    const relay = new PostgresLiveRelay(pool);
    await relay.listen();
    return relay;
  }

  publish(message: LiveRelayMessage): void {
    if (this.closed) return;
    const head = `${message.kind[0]} ${this.me} ${message.project} ${message.session}`;
    if (message.kind === 'beat') this.enqueue(`${head} ${message.next}`, false);
    else if (message.kind === 'end' || message.kind === 'want') this.enqueue(head, false);
    else {
      const bytes = Buffer.from(message.lines.buffer, message.lines.byteOffset, message.lines.byteLength);
      if (this.queuedBytes + bytes.length * 1.4 > MAX_QUEUED_BYTES) return; // dropped: a gap
      for (let at = 0; at < bytes.length; at += PIECE_BYTES) {
        const piece = bytes.subarray(at, at + PIECE_BYTES).toString('base64');
        this.enqueue(`${head} ${message.offset + at} ${piece}`, true);
      }
    }
  }

  onMessage(handler: (message: LiveRelayMessage) => void): void {
    this.handlers.push(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    if (listener) {
      await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      listener.release();
    }
  }

  private enqueue(payload: string, droppable: boolean): void {
    if (droppable && this.queuedBytes > MAX_QUEUED_BYTES) return;
    this.queue.push(payload);
    this.queuedBytes += payload.length;
    if (!this.sending) {
      this.sending = true;
      setImmediate(() => void this.send());
    }
  }

  private async send(): Promise<void> {
    while (this.queue.length > 0 && !this.closed) {
      const batch = this.queue.splice(0, PER_STATEMENT);
      for (const payload of batch) this.queuedBytes -= payload.length;
      const calls = batch.map((_, i) => `pg_notify('${CHANNEL}', $${i + 1})`).join(', ');
      await this.pool.query(`SELECT ${calls}`, batch).catch(() => undefined);
    }
    this.sending = false;
  }

  private async listen(): Promise<void> {
    const client = await this.pool.connect();
    client.on('notification', (notification) => {
      if (notification.channel !== CHANNEL || !notification.payload) return;
      const message = this.parse(notification.payload);
      if (message) for (const handler of this.handlers) handler(message);
    });
    client.on('error', () => {
      if (this.listener !== client) return;
      this.listener = null;
      client.release(true);
      // Another connection picks up; what was sent meanwhile is a gap, filled from the upload.
      const retry = () => {
        if (!this.closed) this.listen().catch(() => setTimeout(retry, RELISTEN_MS).unref());
      };
      setTimeout(retry, RELISTEN_MS).unref();
    });
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  private parse(payload: string): LiveRelayMessage | null {
    const [kind, from, project, session, fourth, fifth] = payload.split(' ');
    if (!kind || from === this.me || !project || !session) return null;
    if (kind === 'e') return { kind: 'end', project, session };
    if (kind === 'w') return { kind: 'want', project, session };
    const number = Number(fourth);
    if (!Number.isSafeInteger(number) || number < 0) return null;
    if (kind === 'b') return { kind: 'beat', project, session, next: number };
    if (kind === 'f' && fifth)
      return { kind: 'frame', project, session, offset: number, lines: Buffer.from(fifth, 'base64') };
    return null;
  }
}
