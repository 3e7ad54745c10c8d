// Any command at all: launched as given, with the prompt in $SDD_PROMPT_FILE; no transcript of its own.

import type { AgentAdapter } from './agent-adapter.js';

export const genericAdapter: AgentAdapter = {
  name: 'generic',
  title: 'any command (the words after --)',
  binary: '',
  versionArgs: [],
  loadTranscriptParser: null,
  launch: (request) => ({ command: request.extraArgs, conversationId: null }),
  findTranscript: async () => null,
};
