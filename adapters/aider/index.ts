// Aider: one chat history per repository (.aider.chat.history.md in the git root, or --chat-history-file),
// appended to by every run; this session's transcript is what was appended after its launch.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AgentAdapter } from '../agent-adapter.js';
import { historyFile } from './history-file.js';

interface Prepared {
  path: string;
  sizeBefore: number;
}

export const aiderAdapter: AgentAdapter = {
  name: 'aider',
  title: 'Aider',
  binary: 'aider',
  versionArgs: ['--version'],
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseAiderTranscript,
  launch(request) {
    // --message and --message-file make Aider answer once and exit: that is the headless mode. Aider has
    // no first-message flag that stays in the chat, so the conversation starts empty and the prompt
    // waits in $SDD_PROMPT_FILE (`/read` it).
    const command = request.headless
      ? ['aider', '--yes-always', '--message-file', request.promptFile, ...request.extraArgs]
      : ['aider', ...request.extraArgs];
    return { command, conversationId: null };
  },
  async beforeLaunch(query): Promise<Prepared> {
    const path = await historyFile(query);
    const sizeBefore = await stat(path).then(
      (info) => info.size,
      () => 0,
    );
    return { path, sizeBefore };
  },
  async findTranscript(_query, prepared) {
    const { path, sizeBefore } = prepared as Prepared;
    return existsSync(path) ? { path, fromOffset: sizeBefore } : null;
  },
};
