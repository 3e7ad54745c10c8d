// GitHub Copilot CLI: sdd picks the session id up front (--session-id starts a new session with that UUID, since
// Copilot CLI 1.0.51), so the transcript is exactly that session's event log (transcript-path.ts).

import { randomUUID } from 'node:crypto';
import type { AgentAdapter } from '../agent-adapter.js';
import { copilotMcpServer } from './mcp-config.js';
import { findCopilotTranscript } from './transcript-path.js';

export { copilotHome, copilotTranscriptCandidates } from './transcript-path.js';

export const copilotAdapter: AgentAdapter = {
  name: 'copilot',
  title: 'GitHub Copilot CLI',
  binary: 'copilot',
  versionArgs: ['--version'],
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseCopilotTranscript,
  launch(request) {
    const conversationId = randomUUID();
    // -p runs one prompt and exits; it cannot ask for permission, so it is allowed the tools up front.
    // -i starts the conversation with the prompt and stays, asking as usual.
    const prompt = request.headless ? ['-p', request.prompt, '--allow-all-tools'] : ['-i', request.prompt];
    return {
      command: [
        'copilot',
        `--session-id=${conversationId}`,
        ...(request.mcp?.args ?? []),
        ...request.extraArgs,
        ...prompt,
      ],
      conversationId,
    };
  },
  mcpServer: copilotMcpServer,
  findTranscript: findCopilotTranscript,
};
