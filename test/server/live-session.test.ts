// A live session's screen and stream, without sockets: bytes applied in cast order whatever order
// they come in, gaps read from the upload, a watcher's snapshot at exactly the offset it is sent
// with, and a reconnecting watcher given what it missed.

import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { type CastSource, LiveSession } from '../../src/server/live/live-session.js';
import { LiveWatcher } from '../../src/server/live/live-watcher.js';

const header = `${JSON.stringify({ version: 2, width: 40, height: 5 })}\n`;
const line = (t: number, text: string) => `${JSON.stringify([t, 'o', text])}\n`;

/** A cast as the upload holds it: `held` bytes of `text` are readable. */
function upload(text: string) {
  const bytes = Buffer.from(text);
  const source = {
    held: 0,
    size: async () => source.held,
    read: async (offset: number, length: number) =>
      bytes.subarray(offset, Math.min(source.held, offset + length)),
  };
  return source as CastSource & { held: number };
}

/** A watcher that keeps what it was sent. */
function recorder() {
  const got: { snapshots: { screen: string; offset: number }[]; bytes: string; ends: string[] } = {
    snapshots: [],
    bytes: '',
    ends: [],
  };
  let holding: Buffer[] | null = null;
  const watcher = {
    hold: () => {
      holding ??= [];
    },
    snapshot: (s: { screen: string; offset: number }) => {
      got.snapshots.push({ screen: s.screen, offset: s.offset });
      for (const lines of holding ?? []) got.bytes += lines.toString();
      holding = null;
    },
    frame: (_offset: number, lines: Buffer) => {
      if (holding) holding.push(lines);
      else got.bytes += lines.toString();
    },
    end: (reason: string) => got.ends.push(reason),
  };
  return { watcher: watcher as unknown as LiveWatcher, got };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('LiveSession', () => {
  const cast = header + line(0.1, 'one\r\n') + line(0.2, 'two\r\n') + line(0.3, 'three\r\n');
  const at = (text: string) => Buffer.byteLength(cast.slice(0, cast.indexOf(text)));
  const piece = (from: string, to?: string) =>
    Buffer.from(cast.slice(cast.indexOf(from), to === undefined ? undefined : cast.indexOf(to)));

  it('gives a late joiner the screen at an offset, then exactly the bytes after it', async () => {
    const session = new LiveSession('p', 's', upload(cast));
    session.receive(0, Buffer.from(header));
    session.receive(at('[0.1'), piece('[0.1', '[0.2'));
    const { watcher, got } = recorder();
    session.join(watcher, null);
    // Applied while the snapshot is being taken: it comes after it, not inside it.
    session.receive(at('[0.2'), piece('[0.2'));
    await settle();
    expect(got.snapshots).toHaveLength(1);
    expect(got.snapshots[0]!.offset).toBe(at('[0.2'));
    expect(got.snapshots[0]!.screen).toContain('one');
    expect(got.snapshots[0]!.screen).not.toContain('two');
    expect(got.bytes).toBe(piece('[0.2').toString());
  });

  it('ignores repeats and fills a gap from the upload before going on', async () => {
    const source = upload(cast);
    const session = new LiveSession('p', 's', source);
    const { watcher, got } = recorder();
    session.receive(0, Buffer.from(header));
    session.join(watcher, null);
    await settle();
    session.receive(0, Buffer.from(header)); // a reconnecting publisher sends its header again
    session.receive(at('[0.3'), piece('[0.3')); // two is missing
    await settle();
    expect(got.bytes).toBe('');
    source.held = at('[0.3'); // the upload brings it
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(got.bytes).toBe(piece('[0.1').toString());
    expect(session.next).toBe(Buffer.byteLength(cast));
  });

  it('gives a reconnecting watcher what it missed since its offset, without a snapshot', async () => {
    const session = new LiveSession('p', 's', upload(cast));
    session.receive(0, Buffer.from(cast));
    const { watcher, got } = recorder();
    session.join(watcher, at('[0.2'));
    expect(got.snapshots).toEqual([]);
    expect(got.bytes).toBe(piece('[0.2').toString());
  });

  it('builds the screen from the upload for a watcher that comes first, and tells it the end', async () => {
    const source = upload(cast);
    source.held = at('[0.3');
    const session = new LiveSession('p', 's', source);
    const { watcher, got } = recorder();
    session.join(watcher, null);
    session.catchUp();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got.snapshots[0]!.screen).toContain('two');
    session.receive(at('[0.3'), piece('[0.3'));
    session.end('finished');
    expect(got.bytes).toBe(piece('[0.3').toString());
    expect(got.ends).toEqual(['finished']);
  });

  it('reads from the upload what a reconnecting publisher says it sent while away (an empty frame)', async () => {
    const source = upload(cast);
    source.held = Buffer.byteLength(cast);
    const session = new LiveSession('p', 's', source);
    session.receive(0, Buffer.from(header));
    session.receive(Buffer.byteLength(cast), Buffer.alloc(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(session.next).toBe(Buffer.byteLength(cast));
    // A watcher that had seen up to two's end is given three only.
    const { watcher, got } = recorder();
    session.join(watcher, at('[0.3'));
    expect(got.bytes).toBe(piece('[0.3').toString());
  });

  it('gives a watcher that joins just before the end the last screen, then the end', async () => {
    const session = new LiveSession('p', 's', upload(cast));
    session.receive(0, Buffer.from(cast));
    // A real LiveWatcher over a socket that keeps what is sent, in order.
    const sent: string[] = [];
    const socket = {
      bufferedAmount: 0,
      once: () => undefined,
      send: (data: string | Buffer) => sent.push(typeof data === 'string' ? data : `frame ${data.length}`),
      close: (code: number) => sent.push(`close ${code}`),
    };
    const watcher = new LiveWatcher(socket as unknown as WebSocket, 's', () => undefined);
    session.join(watcher, null);
    // The publisher's end overtakes the snapshot being taken (a watcher dropped as slow, back just then).
    session.end('finished');
    await settle();
    expect(sent.map((m) => (m.startsWith('{') ? JSON.parse(m).type : m))).toEqual([
      'snapshot',
      'end',
      'close 1000',
    ]);
    expect(JSON.parse(sent[0]!).screen).toContain('three');
  });
});
