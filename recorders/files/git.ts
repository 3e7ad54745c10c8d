// Runs one git command and collects its output. The only place the file recorder starts processes, so
// the environment every checkpoint command sees (no inherited index, no optional locks) is set once.

import { spawn } from 'node:child_process';
import { SddError } from '../../src/core/errors.js';

export interface GitOptions {
  cwd: string;
  /** Added to the environment (GIT_INDEX_FILE, the author identity...). */
  env?: Record<string, string>;
  /** Written to git's stdin (message, NUL-separated paths, a fast-import stream). */
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (1 for "no such ref" in `rev-parse -q`). */
  okExitCodes?: number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A git command that failed: a bug or a broken repository rather than a user mistake. */
export class GitCommandError extends SddError {
  /** git's own exit code (exitCode is the CLI's). */
  readonly gitExitCode: number;
  readonly stderr: string;
  constructor(args: string[], exitCode: number, stderr: string) {
    const command = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? args[0];
    super('INTERNAL', `git ${command} failed (exit ${exitCode}): ${stderr.trim() || 'no message'}`, {
      args,
      exitCode,
    });
    this.name = 'GitCommandError';
    this.gitExitCode = exitCode;
    this.stderr = stderr;
  }
}

// Settings on every command: a private index must stay in one file (a split index would write shared
// files into .git), and paths are written with -z or literally so names with spaces or quotes survive.
const GLOBAL_ARGS = [
  '-c',
  'core.splitIndex=false',
  '-c',
  'core.quotePath=false',
  '-c',
  'advice.addIgnoredFile=false',
];

function gitEnvironment(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // An index inherited from a git hook would be written to instead of ours or the user's.
  delete env.GIT_INDEX_FILE;
  // Reading commands (status, diff) must not refresh the user's index behind their back; messages in
  // English because a few are recognised below.
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  env.GIT_TERMINAL_PROMPT = '0';
  return { ...env, ...extra };
}

export function runGit(args: string[], options: GitOptions): Promise<GitResult> {
  const started = startGit(args, options);
  started.finish(options.input ?? '');
  return started.result;
}

export interface StartedGit {
  /** Writes stdin and closes it. */
  finish(input: string | Buffer): void;
  result: Promise<GitResult>;
}

/**
 * Starts git now and takes its stdin later: a process started while the caller still reads files costs
 * no waiting for its start (a few milliseconds each, the bulk of a small checkpoint).
 */
export function startGit(args: string[], options: Omit<GitOptions, 'input'>): StartedGit {
  let finish: (input: string | Buffer) => void = () => undefined;
  const result = new Promise<GitResult>((resolve, reject) => {
    const child = spawn('git', [...GLOBAL_ARGS, ...args], {
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new SddError(
            'INTERNAL',
            'git was not found on PATH: sdd keeps checkpoints with git, install git 2.26 or later.',
          ),
        );
      } else reject(error);
    });
    // git may exit before reading everything (a bad ref); that EPIPE is reported through the exit code.
    child.stdin?.on('error', () => undefined);
    finish = (input) => child.stdin?.end(input);
    child.on('close', (code) => {
      const outcome = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code ?? 128,
      };
      if (outcome.exitCode === 0 || options.okExitCodes?.includes(outcome.exitCode)) resolve(outcome);
      else reject(new GitCommandError(args, outcome.exitCode, outcome.stderr));
    });
  });
  return { finish: (input) => finish(input), result };
}

const LOCK_RETRIES = 40;
const LOCK_RETRY_MS = 25;

/**
 * Runs a command that writes an index, waiting while another sdd process (a `sdd checkpoint` next to
 * the live recorder) holds the same index's lock: git gives up at once, so the retry lives here.
 */
export async function runGitWithIndexLock(args: string[], options: GitOptions): Promise<GitResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runGit(args, options);
    } catch (error) {
      const locked = error instanceof GitCommandError && /index\.lock'?: File exists/.test(error.stderr);
      if (!locked || attempt >= LOCK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS * (1 + Math.min(attempt, 4))));
    }
  }
}
