// What a forked session is told of its parent when the agent cannot resume the parent's conversation:
// which session it continues, where it branched off, what had been done by then, and what the agent
// said last.

import { findAdapter } from '../../adapters/index.js';
import type { CheckpointEvent, SessionRecord } from '../core/session.js';
import { parseTranscript } from '../transcripts/parse-transcript.js';

/** A transcript copy of the parent, by its name in transcript/. */
export interface TranscriptFile {
  name: string;
  text: string;
}

export async function forkSummary(
  parent: SessionRecord,
  /** Read only when the parent's agent has a transcript parser: a copy can be large. */
  loadTranscript: () => Promise<TranscriptFile[]>,
  checkpoints: CheckpointEvent[],
  forkIndex: number,
): Promise<string> {
  const upTo = checkpoints.slice(0, forkIndex + 1);
  const lines = [
    `## This continues an earlier session`,
    '',
    `Session ${parent.id} (${parent.agent}, by ${parent.actor}, started ${parent.startedAt.slice(0, 16)}) worked on this task.`,
    `This session starts from its checkpoint ${forkIndex} ("${upTo.at(-1)?.message ?? ''}"): the files are as they were then.`,
  ];
  const done = upTo.filter((c) => c.paths.length > 0);
  if (done.length > 0) {
    lines.push('', 'What had changed by then:');
    for (const c of done)
      lines.push(`- ${c.message}: ${c.paths.map((p) => `${p.status} ${p.path}`).join(', ')}`);
  }
  const said = await lastAssistantWords(parent, loadTranscript, upTo.at(-1)?.at ?? null);
  if (said.length > 0)
    lines.push('', 'What the agent said last:', ...said.map((s) => `> ${s.replace(/\n/g, '\n> ')}`));
  return `${lines.join('\n')}\n`;
}

/** The last few assistant messages of the parent's main conversation (not its sub-agents') before the fork point. */
async function lastAssistantWords(
  parent: SessionRecord,
  loadTranscript: () => Promise<TranscriptFile[]>,
  before: string | null,
): Promise<string[]> {
  const adapter = findAdapter(parent.agent);
  if (!adapter?.loadTranscriptParser) return [];
  const files = await loadTranscript();
  if (files.length === 0) return [];
  const entries = (await parseTranscript(adapter, files)).entries.filter(
    (e) => e.kind === 'assistant' && !e.sidechain && (before === null || e.time === null || e.time <= before),
  );
  return entries.slice(-3).map((e) => (e.text.length > 800 ? `${e.text.slice(0, 800)}…` : e.text));
}
