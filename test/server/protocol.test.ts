// The team server at the connection level, on raw sockets: slow and silent clients are cut off,
// idle kept-alive connections are closed, and close() answers the writes in flight (whose data is
// kept) before it stops, after which nothing connects.

import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newToken } from '../../src/auth/tokens.js';
import { type RunningServer, type ServerOptions, startServer } from '../../src/server/start.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { rawRequest } from './raw-http.js';

interface Started {
  server: RunningServer;
  port: number;
  dataDir: string;
  token: string;
  project: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<ServerOptions> = {}): Promise<Started> {
  const dir = await makeTempDir('sdd-protocol-');
  cleanups.push(() => dir.remove());
  const dataDir = join(dir.path, 'data');
  const team = new LowdbTeamStore(dataDir);
  const admin = newToken({ user: 'admin', role: 'admin', project: null, createdBy: 'test' });
  await team.addToken(admin.record);
  const project = randomUUID();
  await team.createProject({
    id: project,
    name: 'p',
    idPrefix: 'sd',
    createdAt: new Date().toISOString(),
    createdBy: 'test',
  });
  const server = await startServer({ team, host: '127.0.0.1', port: 0, ...options });
  cleanups.push(() => server.close());
  return { server, port: Number(new URL(server.url).port), dataDir, token: admin.token, project };
}

/** A raw connection: what it received, and when (ms after it opened) the server closed it. */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const opened = Date.now();
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)));
  cleanups.push(async () => {
    socket.destroy();
  });
  return {
    socket,
    closed,
    received: () => received,
    /** Resolves once `text` has arrived. */
    waitFor: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.includes(text)) resolve();
          else if (socket.destroyed) reject(new Error(`closed before "${text}"; got ${received}`));
          else setTimeout(check, 10);
        };
        check();
      }),
  };
}

/** Writes one byte every 100 ms until the socket closes: never silent, never done. */
function trickle(socket: net.Socket): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write('a');
  }, 100);
  socket.on('close', () => clearInterval(timer));
}

/** The JSON body of a raw HTTP answer. */
function bodyOf(received: string): unknown {
  return JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('slow and silent clients', () => {
  // The connection timeout is long: what cuts these clients off is the request timeout.
  const timeouts = { requestTimeoutMs: 600, connectionTimeoutMs: 20_000 };

  it('cuts off a client that sends half its headers and stops', async () => {
    const { port } = await start(timeouts);
    const client = connect(port);
    client.socket.write('GET /api/v1/whoami HTTP/1.1\r\nHost: sdd\r\nAccept: appl');
    const after = await client.closed;
    expect(after).toBeLessThan(5_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(client.received())).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
  });

  it('cuts off a client that trickles its headers a byte at a time', async () => {
    const { port } = await start(timeouts);
    const client = connect(port);
    client.socket.write('GET /api/v1/whoami HTTP/1.1\r\nHost: sdd\r\nX-Slow: ');
    trickle(client.socket);
    expect(await client.closed).toBeLessThan(5_000);
  });

  it('cuts off a client that trickles its body a byte at a time', async () => {
    const { port, token, project } = await start(timeouts);
    const client = connect(port);
    client.socket.write(
      `POST /api/v1/projects/${project}/items HTTP/1.1\r\nHost: sdd\r\nAuthorization: Bearer ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"input":{"title":"',
    );
    trickle(client.socket);
    expect(await client.closed).toBeLessThan(5_000);
  });

  it('closes a connection that never sends anything', async () => {
    const { port } = await start(timeouts);
    const client = connect(port);
    expect(await client.closed).toBeLessThan(5_000);
  });

  it('closes a silent connection after the connection timeout, whatever the request timeout', async () => {
    const { port } = await start({ requestTimeoutMs: 20_000, connectionTimeoutMs: 500 });
    const client = connect(port);
    client.socket.write('GET /api/v1/whoami HTTP/1.1\r\n');
    expect(await client.closed).toBeLessThan(5_000);
  });

  it('keeps serving others while a slow client is cut off', async () => {
    const started = await start(timeouts);
    const slow = connect(started.port);
    slow.socket.write('GET /api/v1/whoami HTTP/1.1\r\n');
    trickle(slow.socket);
    const response = await rawRequest(started.server.url, { path: '/api/v1/whoami', token: started.token });
    expect(response.status).toBe(200);
    await slow.closed;
  });

  it('closes a kept-alive connection that stays idle after its answer', async () => {
    const { port } = await start({ ...timeouts, keepAliveTimeoutMs: 300 });
    const client = connect(port);
    client.socket.write('GET /api/v1/openapi.json HTTP/1.1\r\nHost: sdd\r\nConnection: keep-alive\r\n\r\n');
    await client.waitFor('HTTP/1.1 200 OK');
    const answeredAt = Date.now();
    await client.closed;
    expect(Date.now() - answeredAt).toBeLessThan(5_000);
    expect(client.received()).toMatch(/keep-alive/i);
  });
});

describe('requests that are not HTTP', () => {
  it('answers a request line that is not HTTP with 400 INVALID_INPUT in the API shape', async () => {
    const { port } = await start();
    const client = connect(port);
    client.socket.write('HELLO THERE\r\n\r\n');
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(client.received())).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('answers headers over the limit with 413 TOO_LARGE in the API shape', async () => {
    const { port } = await start();
    const client = connect(port);
    client.socket.write(`GET /api/v1/whoami HTTP/1.1\r\nHost: sdd\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(bodyOf(client.received())).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });
});

describe('close()', () => {
  async function itemsIn(dataDir: string, project: string) {
    const team = new LowdbTeamStore(dataDir);
    try {
      return (await team.trackerStore(project).read()).items;
    } finally {
      await team.close();
    }
  }

  it('answers a write in flight (201) and keeps it; new connections are refused meanwhile', async () => {
    const { server, port, dataDir, token, project } = await start();
    const body = JSON.stringify({ input: { title: 'Written during shutdown' } });
    const client = connect(port);
    client.socket.write(
      `POST /api/v1/projects/${project}/items HTTP/1.1\r\nHost: sdd\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await sleep(200); // the server has the headers: the request is in flight
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    await sleep(100);
    await expect(rawRequest(server.url, { path: '/api/v1/whoami', token })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(closed).toBe(false);
    client.socket.write(body.slice(10));
    await client.waitFor('"Written during shutdown"');
    expect(client.received()).toMatch(/^HTTP\/1\.1 201 /);
    expect(client.received()).toMatch(/\r\nconnection: close\r\n/i);
    // The answered connection goes at once: close() does not wait for it to idle out.
    const answeredAt = Date.now();
    await closing;
    expect(Date.now() - answeredAt).toBeLessThan(2_000);
    const items = await itemsIn(dataDir, project);
    expect(items.map((i) => i.title)).toEqual(['Written during shutdown']);
  });

  it('keeps every write it acknowledged in a burst cut by close()', async () => {
    const { server, dataDir, token, project } = await start();
    const sent = Array.from({ length: 30 }, (_, n) =>
      rawRequest(server.url, {
        path: `/api/v1/projects/${project}/items`,
        token,
        body: { input: { title: `burst ${n}` } },
      }).catch((error: NodeJS.ErrnoException) => error),
    );
    await Promise.race(sent);
    await server.close();
    const answers = await Promise.all(sent);
    const acknowledged = answers
      .filter((a) => !(a instanceof Error) && a.status === 201)
      .map((a) => (a as { json: { title: string } }).json.title);
    expect(acknowledged.length).toBeGreaterThan(0);
    // The others were refused, whole: 503 while closing, or no connection at all.
    for (const answer of answers) {
      if (answer instanceof Error) expect(['ECONNREFUSED', 'ECONNRESET']).toContain(answer.code);
      else expect([201, 503]).toContain(answer.status);
    }
    const kept = (await itemsIn(dataDir, project)).map((i) => i.title);
    expect(kept.sort()).toEqual(expect.arrayContaining(acknowledged));
    expect(kept.length).toBe(acknowledged.length);
  });

  it('refuses new connections once it has returned, and may be called twice', async () => {
    const { server, port, token } = await start();
    await server.close();
    await server.close();
    await expect(rawRequest(server.url, { path: '/api/v1/whoami', token })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    const client = connect(port);
    await client.closed;
    expect(client.received()).toBe('');
  });

  it('does not wait for an idle kept-alive connection', async () => {
    const { server, port } = await start({ keepAliveTimeoutMs: 60_000, connectionTimeoutMs: 60_000 });
    const client = connect(port);
    client.socket.write('GET /api/v1/openapi.json HTTP/1.1\r\nHost: sdd\r\nConnection: keep-alive\r\n\r\n');
    await client.waitFor('HTTP/1.1 200 OK');
    const before = Date.now();
    await server.close();
    expect(Date.now() - before).toBeLessThan(5_000);
    await client.closed;
  });
});
