// sdd demo: a guided run in a throw-away project: import a spec-kit task list, see the tree and
// ready work, claim a task as an agent would, finish it, and see what became ready.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { SddError } from '../../core/errors.js';
import { action } from '../context.js';
import { SAMPLE_EPIC, SAMPLE_SPEC, SAMPLE_TASKS } from '../demo/sample-spec.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'a one-minute tour in a throw-away project: import a task list, see ready work, claim and finish a task',
    )
    .option('--path <dir>', 'make the demo project here (an empty or new folder) instead of a temp folder')
    .action(
      action(async (_ctx, options: { path?: string }) => {
        const dir = options.path ? resolve(options.path) : await mkdtemp(join(tmpdir(), 'sdd-demo-'));
        await mkdir(join(dir, 'specs', SAMPLE_EPIC), { recursive: true });
        await writeFile(join(dir, 'specs', SAMPLE_EPIC, 'spec.md'), SAMPLE_SPEC);
        await writeFile(join(dir, 'specs', SAMPLE_EPIC, 'tasks.md'), SAMPLE_TASKS);
        spawnSync('git', ['init', '-q'], { cwd: dir });
        const sdd = (...args: string[]) => runStep(dir, args);
        console.log(`Demo project: ${dir}\n`);
        sdd('init');
        sdd('import', `specs/${SAMPLE_EPIC}/`);
        sdd('tree');
        sdd('ready', '--limit', '3');
        sdd('claim', '--as', 'demo-agent');
        sdd('done', 'T001', '--as', 'demo-agent');
        sdd('ready', '--limit', '3');
        sdd('blocked', '--limit', '2');
        console.log(
          `The task list now shows T001 ticked:  grep T001 ${join(dir, 'specs', SAMPLE_EPIC, 'tasks.md')}`,
        );
      }),
    );
}

function runStep(cwd: string, args: string[]): void {
  console.log(`$ sdd ${args.join(' ')}`);
  const bin = process.argv[1]!;
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit' });
  console.log('');
  if (result.status !== 0)
    throw new SddError('INTERNAL', `The demo step \`sdd ${args.join(' ')}\` failed (exit ${result.status}).`);
}
