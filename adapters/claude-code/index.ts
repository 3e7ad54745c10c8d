// Claude Code: sdd picks the conversation id up front (--session-id), so the transcript is exactly
// <config dir>/projects/<cwd with every non-alphanumeric character as '-'>/<id>.jsonl, never a guess.

import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AgentAdapter, LaunchPlan, LaunchRequest } from './agent-adapter.js';

export function claudeProjectDir(cwd: string, env: NodeJS.ProcessEnv): string {
  const configDir = env.CLAUDE_CONFIG_DIR || join(homedir(), '.claude');
  return join(configDir, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
}

/**
 * Hooks for this run only, given with --settings so the person's own settings files stay as they are:
 * SessionStart reports the transcript path to sdd, Stop (the end of each agent turn) takes a checkpoint.
 */
export function sessionHooks(): string {
  const hook = (event: string) => [{ hooks: [{ type: 'command', command: `"$SDD_BIN" hook ${event}` }] }];
  return JSON.stringify({ hooks: { SessionStart: hook('session-start'), Stop: hook('turn-end') } });
}

/** A new conversation with an id chosen here, the session's hooks, the person's words, then the prompt. */
function claudeCommand(before: string[], request: LaunchRequest): LaunchPlan {
  const conversationId = randomUUID();
  const prompt = request.headless ? ['-p', request.prompt] : [request.prompt];
  return {
    command: [
      'claude',
      ...before,
      '--session-id',
      conversationId,
      '--settings',
      sessionHooks(),
      ...request.extraArgs,
      ...prompt,
    ],
    conversationId,
  };
}

export const claudeCodeAdapter: AgentAdapter = {
  name: 'claude-code',
  title: 'Claude Code',
  binary: 'claude',
  versionArgs: ['--version'],
  transcriptFormat: 'claude-code',
  launch: (request) => claudeCommand([], request),
  // --fork-session copies the parent conversation into a new one; --session-id pins the new one's id.
  fork: (request, parentConversationId) =>
    claudeCommand(['--resume', parentConversationId, '--fork-session'], request),
  async findTranscript(query) {
    if (!query.conversationId) return null;
    const path = join(claudeProjectDir(query.cwd, query.env), `${query.conversationId}.jsonl`);
    return existsSync(path) ? { path, fromOffset: 0 } : null;
  },
};
