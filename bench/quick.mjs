// npm run bench:quick: each bench script in its quick mode, one after another, and only their aim
// lines (`what: figure (aim ...) ok|MISS`). Needs a build (npm run build). Its aim is 45 s here once the
// generated inputs are in bench/out/ (the first run makes them, which takes longer); it judges itself.
// A script that fails or runs past its share of time is a MISS too: a figure that was not measured
// has not met its aim.

import './node-start.mjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
// Each share is ~1.5 times the script's length here once its inputs are in bench/out/; a first run
// that makes them (checkpoint's repository, replay-at's cast, session-search's history and text
// cache, the server bundle) takes longer, and fits in twice its share.
const SCRIPTS = [
  { file: 'redactor.mjs', seconds: 2 },
  { file: 'passthrough.mjs', seconds: 19 },
  { file: 'ready-work.mjs', seconds: 6 },
  { file: 'checkpoint.mjs', seconds: 6 },
  { file: 'replay-at.mjs', seconds: 4 },
  { file: 'server.mjs', seconds: 10 },
  { file: 'session-upload.mjs', seconds: 4 },
  { file: 'mcp.mjs', seconds: 3 },
  { file: 'session-search.mjs', seconds: 11 },
  { file: 'live-watch.mjs', seconds: 21 },
  { file: 'github-sync.mjs', seconds: 6 },
];
const AIM = /\b(ok|MISS)$/;

if (!existsSync(new URL('../dist/bundle/main.mjs', import.meta.url))) {
  console.error('sdd is not built: run `npm run build` first.');
  process.exit(1);
}

let missed = 0;
const timings = [];
const startedAll = Date.now();
for (const { file, seconds } of SCRIPTS) {
  if (!existsSync(`${benchDir}${file}`)) continue;
  const started = Date.now();
  const { code, out, err, timedOut } = await runScript(`${benchDir}${file}`, seconds * 2);
  timings.push(`${file.replace(/\.mjs$/, '')} ${((Date.now() - started) / 1000).toFixed(1)}`);
  const aims = out.split('\n').filter((line) => AIM.test(line));
  for (const line of aims) console.log(line);
  missed += aims.filter((line) => line.endsWith('MISS')).length;
  if (timedOut || code !== 0 || aims.length === 0) {
    missed++;
    const why = timedOut ? `ran past ${seconds * 2} s` : code !== 0 ? `exited ${code}` : 'printed no aim';
    const lines = err.trim().split('\n');
    const detail = lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? '';
    console.log(`bench/${file}: ${why}${detail ? `: ${detail}` : ''} MISS`);
  }
}
// The whole check must stay quick enough to run after every change to a hot path.
const totalSeconds = (Date.now() - startedAll) / 1000;
console.log(`(seconds: ${timings.join(', ')})`);
const QUICK_SECONDS = 45;
const quickEnough = totalSeconds <= QUICK_SECONDS;
if (!quickEnough) missed++;
console.log(
  `bench:quick itself: ${totalSeconds.toFixed(0)} s (aim <= ${QUICK_SECONDS} s) ${quickEnough ? 'ok' : 'MISS'}`,
);
console.log(missed === 0 ? 'every aim met' : `${missed} aim(s) missed`);

function runScript(path, limitSeconds) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path, '--quick'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, limitSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, timedOut });
    });
  });
}
