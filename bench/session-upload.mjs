// Session upload on loopback: one client sending a recorded file to a team server process as
// `sdd run` would (appends by offset, one after another), and reading it back in ranges, on a
// lowdb data folder and on PostgreSQL. Prints MB/s and its aims; asserts no timings (not a test).
//
//   npm run build && node bench/session-upload.mjs [--mb 256] [--piece-kib 1024,8192] [--store lowdb,postgres]
//   node bench/session-upload.mjs --quick      (64 MB, lowdb only: for npm run bench:quick)

import './node-start.mjs';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { aimLine } from './aim.mjs';
import { startPostgres } from './postgres.mjs';
import { serverProcessFile } from './server-bundle.mjs';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '256' },
    'piece-kib': { type: 'string', default: '1024,8192' },
    store: { type: 'string', default: 'lowdb,postgres' },
    quick: { type: 'boolean', default: false },
  },
});
const MB = 1024 * 1024;
const TOTAL = (args.quick ? 32 : Number(args.mb)) * MB;
/** 1 MiB, and 8 MiB: the server's limit per append, what a client catching up (`sdd sync`) sends. */
const PIECES = args['piece-kib'].split(',').map((kib) => Number(kib) * 1024);
const STORES = args.quick ? ['lowdb'] : args.store.split(',');
const AIM_MBS = 100;

const { RemoteSessionStore } = await import('../dist/src/client/remote-session-store.js');

const cleanups = new Set();
process.on('exit', () => {
  for (const cleanup of cleanups) cleanup();
});

async function startServerProcess(storeArgs) {
  const child = spawn(process.execPath, [await serverProcessFile(), ...storeArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  const kill = () => child.kill('SIGKILL');
  cleanups.add(kill);
  return {
    ...JSON.parse(line),
    stop: () =>
      new Promise((resolve) => {
        cleanups.delete(kill);
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function createProject(server, id) {
  const response = await fetch(`${server.url}/api/v1/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: 'bench', idPrefix: 'sd' }),
  });
  if (response.status !== 201) throw new Error(`creating the project: ${response.status}`);
}

function record(id) {
  const at = new Date().toISOString();
  return {
    id,
    itemId: 'sd-1',
    itemRef: null,
    actor: 'bench',
    command: ['bench'],
    agent: 'generic',
    conversationId: null,
    cwd: '/bench',
    baseCommit: null,
    checkpointRef: null,
    worktree: null,
    startedAt: at,
    endedAt: null,
    exitCode: null,
    status: 'running',
    pid: process.pid,
    host: 'bench',
    cols: 80,
    rows: 24,
    controlSocket: null,
    redactions: {},
    forkedFrom: null,
  };
}

async function measure(kind, storeArgs) {
  const server = await startServerProcess(storeArgs);
  try {
    for (const piece of PIECES) await measurePiece(kind, server, piece);
  } finally {
    await server.stop();
  }
}

/** One session uploaded in appends of `piece` bytes, then read back in 8 MiB ranges. */
async function measurePiece(kind, server, piece) {
  const projectId = randomUUID();
  await createProject(server, projectId);
  const store = new RemoteSessionStore({
    url: server.url,
    projectId,
    token: server.token,
    timeoutMs: 60_000,
  });
  const sessionId = `bench-${Date.now()}`;
  await store.putRecord(record(sessionId));
  // Random bytes: a recording compresses, but nothing on the way compresses, so this is fair.
  const data = randomBytes(TOTAL);
  let offset = 0;
  const writeStart = process.hrtime.bigint();
  while (offset < TOTAL) {
    offset = await store.appendFile(
      sessionId,
      'terminal.cast',
      offset,
      data.subarray(offset, offset + piece),
    );
  }
  const writeSeconds = Number(process.hrtime.bigint() - writeStart) / 1e9;
  const readStart = process.hrtime.bigint();
  let read = 0;
  const READ_RANGE = 8 * MB;
  const back = Buffer.allocUnsafe(TOTAL);
  while (read < TOTAL) {
    const part = await store.readFile(sessionId, 'terminal.cast', read, READ_RANGE);
    back.set(part, read);
    read += part.length;
  }
  const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
  if (!back.equals(data)) throw new Error(`${kind}: the bytes read back differ from those sent`);
  const writeMBs = TOTAL / MB / writeSeconds;
  const readMBs = TOTAL / MB / readSeconds;
  const pieces = `${piece >= MB ? `${piece / MB} MiB` : `${piece / 1024} KiB`} appends`;
  process.stderr.write(
    `${kind}: ${TOTAL / MB} MB up in ${writeSeconds.toFixed(2)} s, read in ${readSeconds.toFixed(2)} s\n`,
  );
  console.log(
    aimLine(
      `session upload on ${kind} (${pieces})`,
      `${writeMBs.toFixed(0)} MB/s`,
      `over ${AIM_MBS} MB/s`,
      writeMBs > AIM_MBS,
    ),
  );
  console.log(
    aimLine(
      `session read back on ${kind} (8 MiB ranges)`,
      `${readMBs.toFixed(0)} MB/s`,
      `over ${AIM_MBS} MB/s`,
      readMBs > AIM_MBS,
    ),
  );
}

for (const kind of STORES) {
  if (kind === 'lowdb') {
    const dir = await mkdtemp(join(tmpdir(), 'sdd-bench-sessions-'));
    try {
      await measure('lowdb', ['--data', dir]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } else if (kind === 'postgres') {
    const pg = await startPostgres();
    cleanups.add(pg.stop);
    try {
      await measure('PostgreSQL', ['--database', pg.url]);
    } finally {
      cleanups.delete(pg.stop);
      pg.stop();
    }
  } else {
    throw new Error(`--store takes lowdb and postgres, not ${kind}`);
  }
}
