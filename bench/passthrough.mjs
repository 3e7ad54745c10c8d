// Passthrough: how much a recording costs a program that prints a lot. Runs one command printing
// 200 MB under `sdd run --cmd`, `script -qfc` and `asciinema rec`, each recording to a file with its
// output sent to /dev/null, and prints wall times as ratios to `script` measured in the same run, plus
// sdd's peak memory (which must not grow with the output). Prints figures; asserts nothing.
//
//   npm run build && node bench/passthrough.mjs [--mb 200] [--runs 3]
//
// asciinema and script come from Debian's packages (apt-get install asciinema bsdutils); a missing one
// is reported and left out.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const sdd = join(root, 'bin', 'sdd');
const { values: args } = parseArgs({
  options: { mb: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } },
});
const bytes = Number(args.mb) * 1_000_000;
const runs = Number(args.runs);
const line = 'The quick brown fox jumps over the lazy dog, a line of output text 0123456789';
const command = `yes "${line}" | head -c ${bytes}`;

function have(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Wall seconds and peak RSS (KB) of one run, via GNU time when present. */
function timed(file, argv, cwd) {
  const gnuTime = have('/usr/bin/time');
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', file, ...argv], {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      })
    : spawnSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${file} ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  const peakKb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { seconds, peakKb };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const dir = await mkdtemp(join(tmpdir(), 'sdd-passthrough-'));
// The other recorders write outside the project: sdd's final checkpoint would otherwise hash their files.
const elsewhere = await mkdtemp(join(tmpdir(), 'sdd-passthrough-others-'));
try {
  spawnSync('git', ['init', '-q'], { cwd: dir });
  await writeFile(join(dir, 'README.md'), '# bench\n');
  spawnSync(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qam', 'x', '--allow-empty'],
    { cwd: dir },
  );
  spawnSync(process.execPath, [sdd, 'init'], { cwd: dir, stdio: 'ignore' });
  spawnSync(process.execPath, [sdd, 'create', 'passthrough'], { cwd: dir, stdio: 'ignore' });

  const contenders = [
    { name: 'bare (no recording)', file: 'sh', argv: ['-c', `${command} > /dev/null`] },
    {
      name: 'script -qfc',
      file: 'script',
      argv: ['-qfc', command, join(elsewhere, 'typescript')],
      needs: 'script',
    },
    {
      name: 'asciinema rec',
      file: 'asciinema',
      argv: ['rec', '-q', '--overwrite', '-c', command, join(elsewhere, 'asciinema.cast')],
      needs: 'asciinema',
    },
    {
      name: 'sdd run --cmd',
      file: process.execPath,
      argv: [sdd, 'run', 'sd-1', '--force', '--as', 'bench', '--cmd', command],
    },
  ].filter((c) => {
    if (!c.needs || have(c.needs)) return true;
    console.error(
      `${c.needs} is not installed (apt-get install ${c.needs === 'script' ? 'bsdutils' : c.needs}): left out`,
    );
    return false;
  });

  const results = new Map(contenders.map((c) => [c.name, []]));
  console.error(`${args.mb} MB of output, ${runs} run(s) each, taking turns...`);
  for (let run = 0; run < runs; run++) {
    for (const c of contenders) results.get(c.name).push(timed(c.file, c.argv, dir));
  }
  const scriptSeconds = results.has('script -qfc')
    ? median(results.get('script -qfc').map((r) => r.seconds))
    : null;
  console.log(`\npassthrough of ${args.mb} MB (median of ${runs}; output to /dev/null, recording to a file)`);
  console.log('recorder              wall      vs script   peak memory');
  for (const c of contenders) {
    const seconds = median(results.get(c.name).map((r) => r.seconds));
    const peak = Math.max(...results.get(c.name).map((r) => r.peakKb));
    const ratio = scriptSeconds ? `${(seconds / scriptSeconds).toFixed(2)}x` : '-';
    console.log(
      `${c.name.padEnd(20)}  ${`${seconds.toFixed(2)} s`.padEnd(8)}  ${ratio.padEnd(10)}  ${Number.isNaN(peak) ? '-' : `${(peak / 1024).toFixed(0)} MB`}`,
    );
  }
  const sessions = spawnSync(process.execPath, [sdd, 'sessions', '--json'], { cwd: dir, encoding: 'utf8' });
  const last = JSON.parse(sessions.stdout)[0];
  const cast = await stat(join(dir, '.sdd', 'local', 'sessions', last.id, 'terminal.cast'));
  console.log(`sdd's recording: ${(cast.size / 1e6).toFixed(0)} MB of asciicast for ${args.mb} MB of output`);
  console.log('aim: sdd at most 1.2x script, well ahead of asciinema, memory flat whatever the output size');
} finally {
  await rm(dir, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
}
