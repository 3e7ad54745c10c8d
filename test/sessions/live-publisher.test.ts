// The publisher against a real WebSocket server on loopback: frames with their cast offsets, nothing
// queued while the server is away, and on reconnecting the header and where the stream stands; a
// server that refuses it is reported once, in the summary.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { decodeFrame } from '../../src/api/live-frames.js';
import { LivePublisher } from '../../src/sessions/live-publisher.js';

interface Received {
  offset: number;
  text: string;
}

async function serve(port = 0) {
  const server = http.createServer();
  const sockets = new WebSocketServer({ server });
  const received: Received[] = [];
  const texts: string[] = [];
  sockets.on('connection', (ws) =>
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (!binary) texts.push(data.toString());
      else {
        const frame = decodeFrame(data)!;
        received.push({ offset: frame.offset, text: frame.lines.toString() });
      }
    }),
  );
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    port: (server.address() as AddressInfo).port,
    received,
    texts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
      }),
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(check()).toBe(true);
};

describe('LivePublisher', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('sends cast lines at their offsets, and after a reconnect the header and where it stands', async () => {
    const first = await serve();
    const target = { url: first.url, token: 't', projectId: 'p', sessionId: 's' };
    const publisher = new LivePublisher(target);
    cleanups.push(() => publisher.end());
    publisher.push(Buffer.from('header\n'), 0);
    await until(() => first.received.length === 1);
    publisher.push(Buffer.from('one\n'), 7);
    publisher.push(Buffer.from('two\n'), 11);
    await until(() => first.received.length === 2);
    // Lines of one turn go as one frame.
    expect(first.received).toEqual([
      { offset: 0, text: 'header\n' },
      { offset: 7, text: 'one\ntwo\n' },
    ]);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    publisher.push(Buffer.from('three\n'), 15); // the server is away: dropped, never queued
    const second = await serve(first.port);
    cleanups.push(second.close);
    await until(() => second.received.length === 2);
    expect(second.received).toEqual([
      { offset: 0, text: 'header\n' },
      { offset: 21, text: '' },
    ]);
    publisher.push(Buffer.from('four\n'), 21);
    await until(() => second.received.length === 3);
    const summary = await publisher.end();
    expect(second.texts).toEqual(['{"type":"end"}']);
    expect(summary.connected).toBe(true);
    expect(summary.droppedFrames).toBeGreaterThan(0);
  });

  it('says why when the server never took it', async () => {
    const server = http.createServer((_request, response) => response.writeHead(404).end());
    server.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 404 Not Found\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as AddressInfo).port;
    const publisher = new LivePublisher({
      url: `http://127.0.0.1:${port}`,
      token: 't',
      projectId: 'p',
      sessionId: 's',
    });
    publisher.push(Buffer.from('header\n'), 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const summary = await publisher.end();
    expect(summary.connected).toBe(false);
    expect(summary.error).toBe('the server answered 404');
  });
});
