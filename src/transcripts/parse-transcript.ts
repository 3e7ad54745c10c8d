// Picks the parser for an agent's transcript files and joins what they hold, in the order given, into one
// normal-form transcript; an agent without a parser still keeps every line, as 'unknown'.

import type { Transcript } from '../core/transcript.js';
import { parseAiderTranscript } from './aider-transcript.js';
import { parseClaudeCodeTranscript } from './claude-code-transcript.js';
import { parseCodexTranscript } from './codex-transcript.js';
import { parseCopilotTranscript } from './copilot-transcript.js';
import { parseGeminiTranscript } from './gemini-transcript.js';
import { parseOpencodeTranscript } from './opencode-transcript.js';
import { numberedLines, unknownEntry } from './transcript-lines.js';

export type TranscriptAgent = 'claude-code' | 'codex' | 'gemini' | 'aider' | 'copilot' | 'opencode';

export interface TranscriptFile {
  /** The file's name within the session's transcript folder; it becomes each entry's source.file. */
  name: string;
  text: string;
}

const PARSERS: Record<TranscriptAgent, (text: string, file: string) => Transcript> = {
  'claude-code': parseClaudeCodeTranscript,
  codex: parseCodexTranscript,
  gemini: parseGeminiTranscript,
  aider: parseAiderTranscript,
  copilot: parseCopilotTranscript,
  opencode: parseOpencodeTranscript,
};

function isKnownAgent(agent: string): agent is TranscriptAgent {
  return Object.hasOwn(PARSERS, agent);
}

export function parseTranscript(agent: TranscriptAgent | (string & {}), files: TranscriptFile[]): Transcript {
  const parse = isKnownAgent(agent)
    ? PARSERS[agent]
    : (text: string, file: string) => rawTranscript(agent, text, file);
  const parts = files.map((file) => parse(file.text, file.name));
  return {
    agent,
    // A resumed conversation can span files; the first id that names it is the one it started with.
    conversationId: parts.find((part) => part.conversationId !== null)?.conversationId ?? null,
    entries: parts.flatMap((part) => part.entries),
  };
}

/** A recording of an agent sdd cannot read yet is still worth keeping line by line. */
function rawTranscript(agent: string, text: string, file: string): Transcript {
  return {
    agent,
    conversationId: null,
    entries: numberedLines(text).map((line) => unknownEntry(line, file)),
  };
}
