// Codex CLI: it names its conversation itself (no flag takes an id up front), so sdd finds this session's
// rollout by what its first line says (rollout-finder.ts). A fork branches the conversation with
// `codex fork` where the installed Codex has it, and continues it with `codex resume` where it does not.

import { spawnSync } from 'node:child_process';
import type { AgentAdapter, LaunchRequest } from '../agent-adapter.js';
import { codexMcpServer } from './mcp-config.js';
import { thisSessionsRollout } from './rollout-finder.js';

export { codexHome } from './rollout-finder.js';

/**
 * `codex exec` stops outside a git repository unless told not to: sdd records such a folder without
 * checkpoints, and the person chose to run there, so a headless run goes on.
 */
const HEADLESS = ['exec', '--skip-git-repo-check'];

export const codexAdapter: AgentAdapter = {
  name: 'codex',
  title: 'OpenAI Codex CLI',
  binary: 'codex',
  versionArgs: ['--version'],
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseCodexTranscript,
  launch(request) {
    // `codex [OPTIONS] [PROMPT]` starts the TUI with a first message; `codex exec` runs it to the end.
    const mode = request.headless ? HEADLESS : [];
    // -c before the subcommand: Codex applies root overrides to exec, resume and fork alike.
    const mcp = request.mcp?.args ?? [];
    return {
      command: ['codex', ...mcp, ...mode, ...request.extraArgs, request.prompt],
      conversationId: null,
    };
  },
  // `codex fork <id>` starts a new conversation from the parent's (`codex exec fork` when headless); the
  // new turns are written to a new rollout, found as a launch's is.
  fork(request, parentConversationId) {
    const how = hasForkCommand(request) ? 'fork' : 'resume';
    const mode = request.headless ? [HEADLESS[0]!, how, HEADLESS[1]!] : [how];
    return {
      command: [
        'codex',
        ...(request.mcp?.args ?? []),
        ...mode,
        ...request.extraArgs,
        parentConversationId,
        request.prompt,
      ],
      conversationId: null,
    };
  },
  mcpServer: codexMcpServer,
  async findTranscript(query) {
    const rollout = await thisSessionsRollout(query);
    return rollout ? { path: rollout, fromOffset: 0 } : null;
  },
};

/** Whether the installed Codex lists a fork command (`codex exec fork` headless, `codex fork` otherwise). */
function hasForkCommand(request: LaunchRequest): boolean {
  const args = request.headless ? ['exec', '--help'] : ['--help'];
  const probe = spawnSync('codex', args, {
    env: request.env,
    cwd: request.cwd,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return /^\s+fork\s/m.test(`${probe.stdout ?? ''}`);
}
