// Helpers of the live tests: a linked clone, `sdd run` of a script that the test steers through
// files (so that each step happens when the test says), and `sdd watch` processes whose output is
// collected.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listLiveSessions } from '../../src/client/live-client.js';
import { git, SDD_BIN, type SddResult, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { userEnv } from './server-harness.js';

export interface Clone {
  cwd: string;
  env: Record<string, string | undefined>;
  projectId: string;
}

export async function linkedClone(path: string, server: string, token: string): Promise<Clone> {
  const cwd = join(path, 'clone');
  await mkdir(cwd, { recursive: true });
  const env = userEnv(join(path, 'home'), { SDD_TOKEN: token });
  git(cwd, ['init', '-q', '-b', 'main']);
  git(cwd, ['config', 'user.name', 'Tess']);
  git(cwd, ['config', 'user.email', 'tess@example.com']);
  await writeFile(join(cwd, 'README.md'), '# project\n');
  git(cwd, ['add', '.']);
  git(cwd, ['commit', '-qm', 'initial']);
  sddJson(cwd, ['init'], env);
  const linked = sdd(cwd, ['remote', 'set', server], env);
  if (linked.code !== 0) throw new Error(linked.stderr);
  const projectId = JSON.parse(await readFile(join(cwd, '.sdd', 'config.json'), 'utf8')).projectId;
  return { cwd, env, projectId };
}

/** `sdd run` of a shell script in the clone; `step(name)` creates the file the script waits for. */
export function runScript(clone: Clone, title: string, script: string) {
  const task = sddJson<{ id: string }>(clone.cwd, ['create', title], clone.env);
  const running = sddAsync(clone.cwd, ['run', task.id, '--cmd', script], clone.env);
  return {
    running,
    step: (name: string) => writeFile(join(clone.cwd, name), ''),
  };
}

/** A script line that waits until the test creates `name` in the clone. */
export function waitFor(name: string): string {
  return `while [ ! -f ${name} ]; do sleep 0.05; done`;
}

/** The id of the one session live on the server, once it is (polled). */
export async function liveSession(server: string, token: string, projectId: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const live = await listLiveSessions({ url: server, token, projectId }).catch(() => []);
    if (live.length > 0) return live[0]!.id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no session went live in 30 s');
}

export interface Watcher {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  done: Promise<SddResult>;
  /** Resolves once stdout holds `text`. */
  sees(text: string, timeoutMs?: number): Promise<void>;
}

export function startWatch(clone: Clone, session: string, args: string[] = []): Watcher {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...clone.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const child = spawn(process.execPath, [SDD_BIN, 'watch', session, ...args], { cwd: clone.cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<SddResult>((resolve) =>
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    async sees(text, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (Date.now() > until || child.exitCode !== null)
          throw new Error(`watch never showed "${text}"; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
