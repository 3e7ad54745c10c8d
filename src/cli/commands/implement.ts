// sdd implement: works the epic's ready tasks through `sdd run`, one after another in this folder,
// or N at once each in its own worktree (--parallel N), until none is ready or one fails.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import type { Service } from '../../core/service.js';
import type { Item } from '../../core/types.js';
import { LocalSessionStore } from '../../sessions/local-session-store.js';
import { action } from '../context.js';
import { epicOfPhase } from '../epic-of.js';
import { runPhase } from '../phase-command.js';
import { epicAndCommand } from '../phase-launch.js';

interface ImplementOptions {
  here?: boolean;
  done?: boolean;
  parallel?: string;
  agent?: string;
  cmd?: string;
  headless?: boolean;
}

interface TaskRun {
  task: string;
  itemId: string;
  title: string;
  exitCode: number;
  done: boolean;
  session: string | null;
  log: string | null;
}

export function registerImplement(program: Command): void {
  program
    .command('implement')
    .description(
      "work the epic's ready tasks with `sdd run` (each one recorded, done when its program exits 0), one after another or N at once in worktrees, until none is ready or one fails",
    )
    .argument('[epic]', 'the epic (default: the one of the current NNN-* branch, else the only open one)')
    .argument('[command...]', 'the program to run on each task instead of an agent, after --')
    .option('-p, --parallel <n>', 'run N tasks at once, each in its own worktree and branch (sdd/<task>-<n>)')
    .option('-a, --agent <name>', 'the agent CLI for every task (default: the project agent)')
    .option('--cmd <command>', 'a shell command line to run on each task')
    .option('--headless', 'run the agent in its print/exec mode')
    .option(
      '--here',
      'from inside an agent that is already running: register the phase and print the ready tasks and how to work them',
    )
    .option('--done', 'with --here: the phase is over')
    .action(
      action(async (ctx, epicRef: string | undefined, typed: string[], options: ImplementOptions) => {
        const { ref, words } = epicAndCommand(epicRef, typed);
        const parallel = options.parallel === undefined ? 1 : Number(options.parallel);
        if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32) {
          throw new InvalidInputError(
            `--parallel must be a whole number from 1 to 32; got "${options.parallel}".`,
          );
        }
        const project = await ctx.project();
        const service = await ctx.service();
        const epic = await epicOfPhase(service, project.root, ref);
        if (options.here || options.done) {
          // The agent works the tasks itself (sdd claim / sdd done); sdd registers the phase around it.
          const ready = await service.ready({ epic: epic.epic.id });
          const list = ready.map((e) => `- ${e.item.source?.ref ?? e.item.id} ${e.item.title}`).join('\n');
          const phaseOptions = {
            ...(options.here && { here: true }),
            ...(options.done && { done: true }),
            cols: '120',
            rows: '40',
          };
          process.exitCode = await runPhase(ctx, {
            phase: 'implement',
            epic,
            description: list,
            options: phaseOptions,
            words,
          });
          return;
        }
        const runArgs: string[] = ['--done-on-success'];
        if (parallel > 1) runArgs.push('--worktree');
        if (options.agent) runArgs.push('--agent', options.agent);
        if (options.cmd) runArgs.push('--cmd', options.cmd);
        if (options.headless) runArgs.push('--headless');
        if (words.length > 0) runArgs.push('--', ...words);
        const logDir = join(project.root, '.sdd', 'local', 'implement');
        if (parallel > 1) await mkdir(logDir, { recursive: true });
        const runs = await workReadyTasks(service, epic.epic.id, parallel, (task) =>
          runTask(
            project.root,
            task,
            runArgs,
            parallel > 1 ? join(logDir, `${task.source?.ref ?? task.id}.log`) : null,
          ),
        );
        const failed = runs.find((r) => !r.done);
        ctx.print({ epic: epic.key, runs, failed: failed?.task ?? null }, (d) => {
          const lines = d.runs.map(
            (r) =>
              `  ${r.done ? '✓' : '✗'} ${r.task}  ${r.title}  exit ${r.exitCode}${r.session ? `  session ${r.session}` : ''}${r.log && !r.done ? `  (output: ${r.log})` : ''}`,
          );
          const head = `sdd implement ${d.epic}: ${d.runs.filter((r) => r.done).length} task(s) done`;
          const tail = failed
            ? `${failed.task} failed (exit ${failed.exitCode}); fix it and run \`sdd implement ${d.epic}\` again.`
            : 'no task is ready now (`sdd blocked` says what waits).';
          return [head, ...lines, tail].join('\n');
        });
        process.exitCode = failed ? 1 : 0;
      }),
    );
}

/** Keeps up to `parallel` tasks running; stops starting new ones once one fails. */
async function workReadyTasks(
  service: Service,
  epicId: string,
  parallel: number,
  run: (task: Item) => Promise<TaskRun>,
): Promise<TaskRun[]> {
  const runs: TaskRun[] = [];
  const started = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failed = false;
  for (;;) {
    if (!failed && running.size < parallel) {
      const ready = (await service.ready({ epic: epicId }))
        .map((e) => e.item)
        .filter((t) => !started.has(t.id));
      const next = ready[0];
      if (next) {
        started.add(next.id);
        const job = run(next).then((result) => {
          runs.push(result);
          if (!result.done) failed = true;
          running.delete(next.id);
        });
        running.set(next.id, job);
        continue;
      }
    }
    if (running.size === 0) return runs;
    await Promise.race(running.values());
  }
}

function runTask(root: string, task: Item, runArgs: string[], logPath: string | null): Promise<TaskRun> {
  const ref = task.source ? `${task.source.epicKey}/${task.source.ref}` : task.id;
  return new Promise((resolve, reject) => {
    const log = logPath ? createWriteStream(logPath) : null;
    const child = spawn(process.execPath, [process.argv[1]!, 'run', ref, ...runArgs], {
      cwd: root,
      stdio: log ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    if (log) {
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
    }
    child.on('error', reject);
    child.on('close', async (code) => {
      log?.end();
      const sessions = await new LocalSessionStore(root).list({ itemId: task.id, limit: 1 }).catch(() => []);
      const exitCode = code ?? 1;
      resolve({
        task: task.source?.ref ?? task.id,
        itemId: task.id,
        title: task.title,
        exitCode,
        done: exitCode === 0,
        session: sessions[0]?.id ?? null,
        log: logPath,
      });
    });
  });
}
