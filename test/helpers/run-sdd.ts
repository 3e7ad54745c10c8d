// Runs the real `sdd` command (bin/sdd over dist/) as a separate process, the way a user does.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SDD_BIN = join(REPO_ROOT, 'bin', 'sdd');

export interface SddResult {
  code: number;
  stdout: string;
  stderr: string;
}

function checkBuilt(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'main.mjs'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it for you).');
  }
}

function environment(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SDD_ACTOR: 'tester', NO_COLOR: '1', ...extra };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

export function sdd(cwd: string, args: string[], env: Record<string, string | undefined> = {}): SddResult {
  checkBuilt();
  const result = spawnSync(process.execPath, [SDD_BIN, ...args], {
    cwd,
    env: environment(env),
    encoding: 'utf8',
    // A command that hangs fails its test (exit -1) instead of holding up the whole suite.
    timeout: 120_000,
    killSignal: 'SIGKILL',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The parsed --json output of a command that must succeed. */
export function sddJson<T = unknown>(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): T {
  const result = sdd(cwd, [...args, '--json'], env);
  if (result.code !== 0) throw new Error(`sdd ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Starts `sdd` without waiting, for races between processes. */
export function sddAsync(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<SddResult> {
  checkBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SDD_BIN, ...args], { cwd, env: environment(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
