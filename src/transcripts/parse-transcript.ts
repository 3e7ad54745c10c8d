// Reads an agent's transcript files with the parser its adapter brings (the registry, adapters/index.ts, is
// the one list of agents) and joins what they hold, in the order given, into one normal-form transcript; an
// agent without a parser still keeps every line, as 'unknown'.

import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import { findAdapter } from '../../adapters/index.js';
import { numberedLines, unknownEntry } from '../../adapters/transcript-lines.js';
import type { Transcript, TranscriptParser } from '../core/transcript.js';

export interface TranscriptFile {
  /** The file's name within the session's transcript folder; it becomes each entry's source.file. */
  name: string;
  text: string;
}

/** The agent by either of its names (found in the registry) or by its adapter itself. */
export async function parseTranscript(
  agent: string | AgentAdapter,
  files: TranscriptFile[],
): Promise<Transcript> {
  const adapter = typeof agent === 'string' ? findAdapter(agent) : agent;
  const name = adapter?.name ?? (typeof agent === 'string' ? agent : agent.name);
  const parse: TranscriptParser = adapter?.loadTranscriptParser
    ? await adapter.loadTranscriptParser()
    : (text, file) => rawTranscript(name, text, file);
  const parts = files.map((file) => parse(file.text, file.name));
  return {
    agent: name,
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
