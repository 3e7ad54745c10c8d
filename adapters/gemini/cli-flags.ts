// Which flags the installed Gemini CLI takes, read from its --help: flags come and go between versions
// (--session-id since 0.41; --skip-trust was removed around 0.37 and came back), and yargs' strict mode
// stops at one it does not know, so sdd passes only what this version lists.

import { spawnSync } from 'node:child_process';
import type { Environment } from '../agent-adapter.js';

export function geminiFlags(env: Environment, cwd: string): Set<string> {
  const probe = spawnSync('gemini', ['--help'], { env, cwd, encoding: 'utf8', timeout: 10_000 });
  const help = `${probe.stdout ?? ''}\n${probe.stderr ?? ''}`;
  return new Set(help.match(/--[a-z][a-z-]*/g) ?? []);
}
