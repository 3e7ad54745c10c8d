// opencode: its conversation is not one log but many records (the session, each message, each part of a
// message), rewritten in place as they stream. sdd cannot choose its session id, so it takes the first root
// session opencode made in this folder after the launch, and mirrors that session's records, as they change,
// into one append-only JSONL file (an upsert log: a record's last line wins) that the copier can follow.
//
// Before opencode 1.2 the records are files: <data>/storage/session/<project>/<ses>.json,
// storage/message/<ses>/<msg>.json, storage/part/<msg>/<prt>.json, read directly. From 1.2 they live in
// <data>/opencode.db (SQLite, which Node 20 cannot read), so sdd asks opencode itself:
// `opencode session list --format json` to find the session and `opencode export <id>` for its records.
// (The mirror is mirror.ts; the reading of files or database is store.ts.)

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentAdapter } from '../agent-adapter.js';
import { opencodeMcpServer } from './mcp-config.js';
import { OpencodeMirror } from './mirror.js';

export { OpencodeMirror } from './mirror.js';
export { type OpencodeRecord, type OpencodeSnapshot, opencodeDataDir } from './store.js';

export const opencodeAdapter: AgentAdapter = {
  name: 'opencode',
  title: 'opencode',
  binary: 'opencode',
  versionArgs: ['--version'],
  loadTranscriptParser: async () => (await import('./transcript-parser.js')).parseOpencodeTranscript,
  launch(request) {
    // `run` answers one prompt and exits; the TUI takes the first prompt with --prompt and stays.
    const command = request.headless
      ? ['opencode', 'run', ...request.extraArgs, '--', ...runMessageWords(request.prompt)]
      : ['opencode', ...request.extraArgs, '--prompt', request.prompt];
    return { command, conversationId: null };
  },
  mcpServer: opencodeMcpServer,
  async settleTranscript(prepared) {
    await (prepared as OpencodeMirror).flush();
  },
  async afterSession(prepared) {
    await (prepared as OpencodeMirror).close();
  },
  async beforeLaunch() {
    return new OpencodeMirror(await mkdtemp(join(tmpdir(), 'sdd-opencode-')));
  },
  async findTranscript(query, prepared) {
    return prepared instanceof OpencodeMirror ? prepared.find(query) : null;
  },
};

/**
 * `opencode run` joins its words with spaces after wrapping each word that holds a space in double quotes
 * (a shell habit: it rebuilds a command line), so a prompt given as one word arrives quoted. Given cut at
 * each space, no word holds one, and the join gives back the prompt exactly, newlines and all.
 */
function runMessageWords(prompt: string): string[] {
  return prompt.split(' ');
}
