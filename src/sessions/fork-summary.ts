// What a forked session is told of its parent when the agent cannot resume the parent's conversation:
// which session it continues, where it branched off, what had been done by then, and what the agent
// said last.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findAdapter } from '../../adapters/index.js';
import type { CheckpointEvent, SessionRecord } from '../core/session.js';
import { parseTranscript } from '../transcripts/parse-transcript.js';
import type { SessionFolder } from './session-folder.js';

export async function forkSummary(
  parent: SessionRecord,
  folder: SessionFolder,
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
  const said = await lastAssistantWords(parent, folder, upTo.at(-1)?.at ?? null);
  if (said.length > 0)
    lines.push('', 'What the agent said last:', ...said.map((s) => `> ${s.replace(/\n/g, '\n> ')}`));
  return `${lines.join('\n')}\n`;
}

/** The last few assistant messages of the parent's main conversation (not its sub-agents') before the fork point. */
async function lastAssistantWords(
  parent: SessionRecord,
  folder: SessionFolder,
  before: string | null,
): Promise<string[]> {
  const adapter = findAdapter(parent.agent);
  if (!adapter?.loadTranscriptParser) return [];
  const names = (await readdir(folder.transcriptDir).catch(() => [] as string[])).sort();
  if (names.length === 0) return [];
  const files = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(folder.transcriptDir, name), 'utf8') })),
  );
  const entries = (await parseTranscript(adapter, files)).entries.filter(
    (e) => e.kind === 'assistant' && !e.sidechain && (before === null || e.time === null || e.time <= before),
  );
  return entries.slice(-3).map((e) => (e.text.length > 800 ? `${e.text.slice(0, 800)}…` : e.text));
}
