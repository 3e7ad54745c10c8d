// Runs an agent CLI from test/agents/node_modules the way sdd does (in a PTY, in a temp git repository with
// a home folder of its own), for a few seconds, and tells an argument error from anything else: without a
// network or a login every agent stops at its login or its first API call, and that is expected.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node-pty';
import type { LaunchRequest } from '../../adapters/agent-adapter.js';
import { REPO_ROOT } from '../helpers/run-sdd.js';

export const AGENTS_BIN = join(REPO_ROOT, 'test', 'agents', 'node_modules', '.bin');

export function agentInstalled(binary: string): boolean {
  return existsSync(join(AGENTS_BIN, binary));
}

/**
 * What the argument parsers of the five CLIs say when a flag or word is wrong: commander (Claude Code,
 * Copilot CLI: "unknown option", "Invalid command format"), clap (Codex: "unexpected argument"), yargs
 * (Gemini CLI: "Unknown argument"; opencode prints its usage, whose sections are "Positionals:", "Options:").
 */
const ARGUMENT_ERROR =
  /unknown (option|argument|command)|unexpected argument|unrecognized (subcommand|option|argument)|too many arguments|missing required argument|not enough non-option arguments|invalid values?:|invalid command format|for more information, try '--help'|try '[a-z]+ --help'|^\s*(Positionals|Options|Commands):\s*$/im;

export function argumentError(output: string): string | null {
  const match = ARGUMENT_ERROR.exec(output);
  if (!match) return null;
  const start = output.lastIndexOf('\n', match.index) + 1;
  const end = output.indexOf('\n', match.index);
  return output.slice(start, end < 0 ? undefined : end).trim();
}

/** The environment of a run: the agents' own home under the temp folder, no credentials of this machine. */
export function agentEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /TOKEN|API_KEY|SECRET|^CLAUDE_|^CODEX_|^GEMINI_|^COPILOT_|^XDG_/.test(key))
      continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    PATH: `${AGENTS_BIN}:${process.env.PATH}`,
    TERM: 'xterm-256color',
    NO_COLOR: '1',
  };
}

export function launchRequest(cwd: string, env: Record<string, string>, headless: boolean): LaunchRequest {
  return {
    sessionId: 'real-cli-test',
    cwd,
    prompt: 'List the files in this folder.\n\nSay "done" when you are.',
    promptFile: join(cwd, 'prompt.md'),
    headless,
    env,
    extraArgs: [],
  };
}

export interface AgentRun {
  output: string;
  /** null when it was still running at the deadline (a TUI waiting at its login screen). */
  exitCode: number | null;
}

/** Runs `command` in a PTY until it exits or `waitMs` passes (then it is killed), with ANSI codes removed. */
export function runInPty(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  waitMs: number,
): Promise<AgentRun> {
  return new Promise((resolve) => {
    const child = spawn(join(AGENTS_BIN, command[0]!), command.slice(1), { cwd, env, cols: 120, rows: 40 });
    let output = '';
    child.onData((data) => {
      output += data;
    });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      // The whole process group: codex.js and copilot's loader are wrappers around a native child.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, waitMs);
    child.onExit(({ exitCode }) => {
      clearTimeout(deadline);
      resolve({ output: withoutEscapes(output), exitCode: timedOut ? null : exitCode });
    });
  });
}

const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
/** Terminal escape sequences (CSI, OSC, charset and keypad modes), so the words can be matched. */
const ESCAPES = new RegExp(
  `${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(${BEL}|${ESC}\\\\)|${ESC}[()][0-9A-Za-z]|${ESC}[=>]`,
  'g',
);

function withoutEscapes(text: string): string {
  return text.replace(ESCAPES, '');
}

/**
 * Ends what the agents left running under this test's home folder: Codex 0.171 starts an app-server daemon
 * of its own ($CODEX_HOME/packages/app-server-daemon) that outlives the run. Only those, by their ids.
 */
export function stopLeftovers(home: string): void {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let commandLine = '';
    try {
      commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue; // gone already
    }
    if (!commandLine.includes(home)) continue;
    try {
      process.kill(Number(name), 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}
