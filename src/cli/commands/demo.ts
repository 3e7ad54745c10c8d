// sdd demo: a guided run in a throw-away project: import a spec-kit task list, see ready work, let a
// demo agent work a task through `sdd run`, then look at the recorded session and replay it.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SddError } from '../../core/errors.js';
import { SAMPLE_EPIC, SAMPLE_SPEC, SAMPLE_TASKS } from '../../demo/sample-spec.js';
import { action } from '../context.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'a one-minute tour in a throw-away project: import a task list, run a demo agent on a task, replay it',
    )
    .option('--path <dir>', 'make the demo project here (an empty or new folder) instead of a temp folder')
    .action(
      action(async (_ctx, options: { path?: string }) => {
        const dir = options.path ? resolve(options.path) : await mkdtemp(join(tmpdir(), 'sdd-demo-'));
        await mkdir(join(dir, 'specs', SAMPLE_EPIC), { recursive: true });
        await writeFile(join(dir, 'specs', SAMPLE_EPIC, 'spec.md'), SAMPLE_SPEC);
        await writeFile(join(dir, 'specs', SAMPLE_EPIC, 'tasks.md'), SAMPLE_TASKS);
        const gitAs = ['-c', 'user.name=sdd demo', '-c', 'user.email=demo@sdd.invalid'];
        spawnSync('git', ['init', '-q'], { cwd: dir });
        const bin = process.argv[1]!;
        const demoAgent = join(dirname(bin), '..', 'dist', 'src', 'demo', 'demo-agent.js');
        const sdd = (...args: string[]) => runStep(dir, bin, args);
        console.log(`Demo project: ${dir}\n`);
        sdd('init');
        spawnSync('git', [...gitAs, 'add', '.'], { cwd: dir });
        spawnSync('git', [...gitAs, 'commit', '-qm', 'spec of team notes'], { cwd: dir });
        sdd('import', `specs/${SAMPLE_EPIC}/`);
        sdd('tree');
        sdd('ready', '--limit', '3');
        console.log(
          'The demo agent now works T001 in a recorded terminal, as `sdd run T001 -- claude` would:',
        );
        sdd('run', 'T001', '--done-on-success', '--as', 'demo-agent', '--', process.execPath, demoAgent);
        const sessions = spawnSync(process.execPath, [bin, 'sessions', '--json'], {
          cwd: dir,
          encoding: 'utf8',
        });
        const id = (JSON.parse(sessions.stdout) as { id: string }[])[0]!.id;
        sdd('session', 'show', id);
        sdd('diff', `${id}@0`, `${id}@-1`, '--stat');
        sdd('replay', id, '--speed', '3');
        sdd('ready', '--limit', '3');
        console.log(
          `T001 is ticked in ${join(dir, 'specs', SAMPLE_EPIC, 'tasks.md')}; the recording is in ${join(dir, '.sdd', 'local', 'sessions', id)}.`,
        );
        console.log(`Try: cd ${dir} && ${bin} replay ${id} --at 3   (the screen 3 seconds in)`);
      }),
    );
}

function runStep(cwd: string, bin: string, args: string[]): void {
  console.log(`$ sdd ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit' });
  console.log('');
  if (result.status !== 0)
    throw new SddError('INTERNAL', `The demo step \`sdd ${args.join(' ')}\` failed (exit ${result.status}).`);
}
