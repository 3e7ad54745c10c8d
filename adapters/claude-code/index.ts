// Claude Code: sdd picks the conversation id up front (--session-id), gives the session's hooks with
// --settings and sdd's MCP server with --mcp-config, and forks with --resume --fork-session, so the
// transcript is always the id's own file.

import { randomUUID } from 'node:crypto';
import type { AgentAdapter, LaunchPlan, LaunchRequest } from '../agent-adapter.js';
import { claudeMcpServer, SDD_TOOLS_RULE } from './mcp-config.js';
import { findClaudeTranscript, isThisConversation } from './transcript-path.js';

export { claudeProjectDir } from './transcript-path.js';

/**
 * Hooks for this run only, given with --settings so the person's own settings files stay as they are:
 * SessionStart reports the transcript path to sdd, Stop (the end of each agent turn) takes a checkpoint.
 */
export function sessionHooks(allowSddTools = false): string {
  const hook = (event: string) => [{ hooks: [{ type: 'command', command: `"$SDD_BIN" hook ${event}` }] }];
  return JSON.stringify({
    hooks: { SessionStart: hook('session-start'), Stop: hook('turn-end') },
    ...(allowSddTools && { permissions: { allow: [SDD_TOOLS_RULE] } }),
  });
}

/** A new conversation with an id chosen here, the session's hooks, the person's words, then the prompt. */
function claudeCommand(before: string[], request: LaunchRequest): LaunchPlan {
  const conversationId = randomUUID();
  const prompt = request.headless ? ['-p', request.prompt] : [request.prompt];
  return {
    command: [
      'claude',
      ...before,
      ...(request.mcp?.args ?? []),
      '--session-id',
      conversationId,
      '--settings',
      sessionHooks(request.mcp !== undefined),
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
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseClaudeCodeTranscript,
  launch: (request) => claudeCommand([], request),
  // --fork-session copies the parent conversation into a new one; --session-id pins the new one's id.
  fork: (request, parentConversationId) =>
    claudeCommand(['--resume', parentConversationId, '--fork-session'], request),
  mcpServer: claudeMcpServer,
  findTranscript: findClaudeTranscript,
  acceptsReportedTranscript: isThisConversation,
};
