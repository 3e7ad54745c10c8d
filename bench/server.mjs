// The team server under load: a tracker of 10,000 tasks, 50 concurrent clients. For each store
// (lowdb, PostgreSQL) it measures `ready` latency (p50/p99) while the 50 clients ask for ready work,
// claims per second while they all claim at once (checking that no task is claimed twice), and the
// whole `sdd ready --json` command against the server next to the embedded one.
// Prints figures and its aims; asserts no timings (it is not a test).
//
//   npm run build && node bench/server.mjs [--tasks 10000] [--clients 50] [--pause 250] [--seconds 8] [--store lowdb,postgres]
//   node bench/server.mjs --quick      (lowdb only, short runs: for npm run bench:quick)

import './node-start.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aimLine } from './aim.mjs';
import { startPostgres } from './postgres.mjs';
import { serverProcessFile } from './server-bundle.mjs';
import { buildData } from './tracker-data.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const binPath = join(root, 'bin', 'sdd');

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '8' },
    store: { type: 'string', default: 'lowdb,postgres' },
    claims: { type: 'string', default: '500' },
    pause: { type: 'string', default: '250' },
    quick: { type: 'boolean', default: false },
  },
});
const TASKS = Number(args.tasks);
const CLIENTS = Number(args.clients);
// --quick (for npm run bench:quick) is the lowdb store only, in short runs, without the claim rate.
const SECONDS = args.quick ? 1.5 : Number(args.seconds);
const CLAIMS = args.quick ? 20 : Number(args.claims);
const COMMAND_RUNS = args.quick ? 3 : 10;
/**
 * Each client waits this long between two requests: 50 clients every 250 ms is 200 requests a
 * second, each of the whole ready list (about 1 MB at 10,000 tasks): far more than 50 agents ask.
 */
const THINK_MS = Number(args.pause);

function progress(message) {
  process.stderr.write(`${message}\n`);
}

/** Server processes and databases to stop when the bench ends early. */
const cleanups = new Set();

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  for (const cleanup of cleanups) cleanup();
  process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), n: sorted.length };
}

const fmt = (ms) =>
  ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;

// ---------------------------------------------------------------------------------------------------
// HTTP, as lean as a client can be: the bench must not eat the cores the server needs

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function request(server, method, path, body) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${server.token}`,
          ...(payload && { 'content-type': 'application/json', 'content-length': payload.length }),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function startServerProcess(storeArgs) {
  const child = spawn(process.execPath, [await serverProcessFile(), ...storeArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  const { url, token } = JSON.parse(line);
  const kill = () => child.kill('SIGKILL');
  cleanups.add(kill);
  return {
    url,
    token,
    stop: () =>
      new Promise((resolve) => {
        cleanups.delete(kill);
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// the measures

async function seed(server, projectId) {
  const { data } = buildData(TASKS, 20250101 + TASKS);
  let response = await request(server, 'POST', '/api/v1/projects', {
    id: projectId,
    name: 'bench',
    idPrefix: 'sd',
  });
  if (response.status !== 201) fail(`creating the project: ${response.status} ${response.body}`);
  response = await request(server, 'POST', `/api/v1/projects/${projectId}/push`, {
    nextId: data.nextId,
    items: data.items,
    dependencies: data.dependencies,
  });
  if (response.status !== 200)
    fail(`pushing ${TASKS} tasks: ${response.status} ${response.body.slice(0, 300)}`);
  return data;
}

/** CLIENTS clients, each asking for ready work, waiting THINK_MS, asking again, for SECONDS. */
async function readyLatency(server, projectId) {
  const path = `/api/v1/projects/${projectId}/ready`;
  const first = await request(server, 'GET', path);
  if (first.status !== 200) fail(`ready: ${first.status} ${first.body.slice(0, 300)}`);
  const readyCount = JSON.parse(first.body).length;
  const times = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      await sleep((i * THINK_MS) / CLIENTS); // spread the clients' starts
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        const response = await request(server, 'GET', path);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (response.status !== 200) fail(`ready under load: ${response.status}`);
        await sleep(THINK_MS);
      }
    }),
  );
  return { ...summary(times), readyCount, perSecond: times.length / SECONDS };
}

/** CLIENTS clients claiming the next ready task at once until CLAIMS are taken: none twice. */
async function claimRate(server, projectId) {
  const path = `/api/v1/projects/${projectId}/claim-next`;
  const taken = new Map();
  let left = CLAIMS;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      while (left-- > 0) {
        const response = await request(server, 'POST', path, { actor: `agent-${i}` });
        if (response.status === 404) return; // no ready work left
        if (response.status !== 200) fail(`claim-next: ${response.status} ${response.body.slice(0, 300)}`);
        const id = JSON.parse(response.body).item.id;
        if (taken.has(id)) fail(`${id} was claimed twice: by ${taken.get(id)} and agent-${i}`);
        taken.set(id, `agent-${i}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { claims: taken.size, perSecond: taken.size / seconds };
}

function runReady(cwd, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [binPath, 'ready', '--json'], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    fail(`sdd ready --json exited with ${result.status}: ${result.stderr.slice(0, 500)}`);
  return { ms, count: JSON.parse(result.stdout).length };
}

/** `sdd ready --json` in a clone linked to the server, and in one with the same tracker embedded. */
async function wholeCommand(server, projectId, data) {
  const dir = await mkdtemp(join(tmpdir(), 'sdd-bench-clients-'));
  const remote = join(dir, 'remote');
  const embedded = join(dir, 'embedded');
  for (const [folder, serverUrl] of [
    [remote, server.url],
    [embedded, null],
  ]) {
    await mkdir(join(folder, '.sdd', 'local'), { recursive: true });
    const config = { projectId, idPrefix: 'sd', server: serverUrl, agent: null };
    await writeFile(join(folder, '.sdd', 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
  // The embedded clone holds the tracker as the server has it after the claims.
  const now = await request(server, 'GET', `/api/v1/projects/${projectId}/items?limit=100000`);
  const items = JSON.parse(now.body);
  await writeFile(join(embedded, '.sdd', 'local', 'db.json'), JSON.stringify({ ...data, items }));
  const env = { SDD_TOKEN: server.token, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') };
  const times = { remote: [], embedded: [] };
  let counts = {};
  for (let run = 0; run <= COMMAND_RUNS; run++) {
    const r = runReady(remote, env);
    const e = runReady(embedded, env);
    counts = { remote: r.count, embedded: e.count };
    if (run > 0) {
      times.remote.push(r.ms);
      times.embedded.push(e.ms);
    }
  }
  await rm(dir, { recursive: true, force: true });
  if (counts.remote !== counts.embedded)
    fail(`remote ready gave ${counts.remote} tasks, embedded ${counts.embedded}`);
  return { remote: summary(times.remote), embedded: summary(times.embedded), count: counts.remote };
}

// ---------------------------------------------------------------------------------------------------

const stores = args.quick ? ['lowdb'] : args.store.split(',').map((s) => s.trim());
const lines = [];
for (const store of stores) {
  progress(`${store}: starting the server and seeding ${TASKS} tasks...`);
  let postgres = null;
  let dataDir = null;
  let storeArgs;
  if (store === 'postgres') {
    postgres = await startPostgres();
    cleanups.add(postgres.stop);
    storeArgs = ['--database', postgres.url];
  } else if (store === 'lowdb') {
    dataDir = await mkdtemp(join(tmpdir(), 'sdd-bench-data-'));
    storeArgs = ['--data', dataDir];
  } else {
    fail(`--store takes lowdb and postgres; got "${store}"`);
  }
  const server = await startServerProcess(storeArgs);
  try {
    const projectId = `bench-${store}`;
    const data = await seed(server, projectId);
    progress(`  ready: ${CLIENTS} clients for ${SECONDS} s (a ${THINK_MS} ms pause between requests)...`);
    const ready = await readyLatency(server, projectId);
    // The claim rate is no aim (bench:quick would not print it): --quick leaves it to the full run.
    let claims = null;
    if (!args.quick) {
      progress(`  claims: ${CLIENTS} clients claiming ${CLAIMS} tasks at once...`);
      claims = await claimRate(server, projectId);
    }
    progress(`  sdd ready --json, remote and embedded, ${COMMAND_RUNS} runs each...`);
    const whole = await wholeCommand(server, projectId, data);
    const extra = whole.remote.p50 - whole.embedded.p50;
    lines.push(
      aimLine(
        `server ${store}: ready p50 at ${TASKS} tasks, ${CLIENTS} clients (${ready.readyCount} ready, ${ready.perSecond.toFixed(0)} req/s)`,
        fmt(ready.p50),
        'under 10 ms',
        ready.p50 < 10,
      ),
      aimLine(`server ${store}: ready p99`, fmt(ready.p99), 'under 50 ms', ready.p99 < 50),
      claims
        ? `server ${store}: ${claims.perSecond.toFixed(0)} claims/s (${claims.claims} claims by ${CLIENTS} clients, none twice)`
        : `server ${store}: claims not measured in --quick`,
      aimLine(
        `server ${store}: sdd ready --json remote ${fmt(whole.remote.p50)} vs embedded ${fmt(whole.embedded.p50)}`,
        `${extra >= 0 ? '+' : ''}${fmt(extra)}`,
        'within 30 ms',
        extra <= 30,
      ),
    );
  } finally {
    await server.stop();
    postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
agent.destroy();
