// Gemini CLI: where it takes the conversation id up front (--session-id, since v0.41), sdd pins it and the
// chat is the one that names that id; older versions refuse the flag, and the chat is found by time
// (chat-finder.ts). A headless run trusts the folder for the session, or Gemini CLI stops (exit 55).

import { randomUUID } from 'node:crypto';
import type { AgentAdapter, LaunchRequest } from '../agent-adapter.js';
import { findGeminiChat } from './chat-finder.js';
import { geminiFlags } from './cli-flags.js';
import { geminiMcpServer } from './mcp-config.js';

export { geminiDir } from './chat-finder.js';

export const geminiAdapter: AgentAdapter = {
  name: 'gemini',
  title: 'Gemini CLI',
  binary: 'gemini',
  versionArgs: ['--version'],
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseGeminiTranscript,
  mcpServer: geminiMcpServer,
  launch(request) {
    const given = flagValue(request.extraArgs, '--session-id');
    const resumes = request.extraArgs.some(
      (arg) => arg === '--resume' || arg === '-r' || arg.startsWith('--resume='),
    );
    const flags = geminiFlags(request.env, request.cwd);
    // --session-id and --resume exclude each other; a resumed chat is found the old way, or not at all.
    const pinned = given === null && !resumes && flags.has('--session-id') ? randomUUID() : null;
    return {
      command: [
        'gemini',
        ...(pinned ? ['--session-id', pinned] : []),
        ...trust(request, flags),
        ...request.extraArgs,
        ...prompt(request),
      ],
      conversationId: given ?? pinned,
    };
  },
  // --resume continues the parent's chat; Gemini CLI then keeps writing under the parent's session id.
  fork(request, parentConversationId) {
    const flags = geminiFlags(request.env, request.cwd);
    return {
      command: [
        'gemini',
        '--resume',
        parentConversationId,
        ...trust(request, flags),
        ...request.extraArgs,
        ...prompt(request),
      ],
      conversationId: parentConversationId,
    };
  },
  findTranscript: findGeminiChat,
};

/** -i starts the conversation with the prompt and stays in it; -p answers and exits. */
function prompt(request: LaunchRequest): string[] {
  return request.headless ? ['-p', request.prompt] : ['-i', request.prompt];
}

/**
 * Headless, Gemini CLI cannot ask whether to trust the folder and exits 55 in one it does not trust yet;
 * --skip-trust trusts it for this session only. A conversation asks as usual.
 */
function trust(request: LaunchRequest, flags: Set<string>): string[] {
  const trusted =
    request.env.GEMINI_CLI_TRUST_WORKSPACE === 'true' || request.extraArgs.includes('--skip-trust');
  return request.headless && !trusted && flags.has('--skip-trust') ? ['--skip-trust'] : [];
}

function flagValue(args: string[], flag: string): string | null {
  const index = args.indexOf(flag);
  if (index >= 0) return args[index + 1] ?? null;
  const joined = args.find((arg) => arg.startsWith(`${flag}=`));
  return joined ? joined.slice(flag.length + 1) : null;
}
