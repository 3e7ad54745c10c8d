// watchLive against a small stand-in for the server's live route: a watch dropped as too slow that
// finds the session finished when it comes back ends as `finished-unseen` (sdd watch then shows the
// recording's last screen), while a first connection refused as not live stays an error.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CLOSE_TOO_SLOW } from '../../src/api/live-frames.js';
import { watchLive } from '../../src/client/live-client.js';

const NOT_LIVE = JSON.stringify({
  error: {
    code: 'NOT_LIVE',
    message: 'Session s is finished, not recording now: play it with `sdd replay s`.',
  },
});

/** Answers each upgrade in turn: 'slow' accepts, sends a screen and drops the watcher; 'refuse' says not live. */
async function standIn(
  turns: ('slow' | 'refuse')[],
): Promise<{ url: string; server: Server; upgrades: number }> {
  const sockets = new WebSocketServer({ noServer: true });
  const state = { upgrades: 0 };
  const server = createServer();
  server.on('upgrade', (request, socket, head) => {
    const turn = turns[state.upgrades++] ?? 'refuse';
    if (turn === 'refuse') {
      socket.end(
        `HTTP/1.1 409 Conflict\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(NOT_LIVE)}\r\nconnection: close\r\n\r\n${NOT_LIVE}`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.send(
        JSON.stringify({ type: 'snapshot', session: 's', cols: 20, rows: 2, screen: 'hello', offset: 10 }),
      );
      ws.close(CLOSE_TOO_SLOW, 'too slow: reconnect for a fresh screen');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    get upgrades() {
      return state.upgrades;
    },
  };
}

describe('watchLive', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = null;
  });

  const watch = (url: string, seen: string[]) =>
    watchLive(
      { url, token: null, projectId: 'p', session: 's' },
      {
        snapshot: (message) => seen.push(`snapshot ${message.screen}`),
        bytes: () => undefined,
        reconnecting: (why) => seen.push(`reconnecting: ${why}`),
      },
    );

  it('ends as finished-unseen when the session finished while it reconnected', async () => {
    const stand = await standIn(['slow', 'refuse']);
    server = stand.server;
    const seen: string[] = [];
    await expect(watch(stand.url, seen)).resolves.toBe('finished-unseen');
    expect(seen).toEqual(['snapshot hello', 'reconnecting: too slow: reconnect for a fresh screen']);
    expect(stand.upgrades).toBe(2);
  });

  it('refuses a session that is not live from the start', async () => {
    const stand = await standIn(['refuse']);
    server = stand.server;
    await expect(watch(stand.url, [])).rejects.toMatchObject({ code: 'NOT_LIVE' });
  });
});
