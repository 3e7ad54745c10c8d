// Reads the part of Aider's .aider.chat.history.md appended during a session into the normal form: Markdown
// where "#### " lines are the user's, "> " lines are Aider's own output, and the rest is the model's reply.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import { type NumberedLine, numberedLines } from '../transcript-lines.js';

/** Aider writes datetime.now() without a zone, so the time stays local: ISO without an offset. */
const HEADER = /^# aider chat started at (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\s*$/;
/** The startup banner names the model: "Main model: X with diff edit format" (older: "Model: X with ..."). */
const MODEL_LINE = /^(?:Main model|Model): (\S+)/;
const FENCE = /^\s*(```|~~~)/;

type Block = { kind: 'user' | 'system' | 'assistant'; lines: NumberedLine[] };

export function parseAiderTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let time: string | null = null;
  let model: string | null = null;
  let block: Block | null = null;
  let inFence = false;

  const flush = () => {
    if (block) entries.push(...blockEntry(block, file, time, model));
    block = null;
  };
  const add = (kind: Block['kind'], line: NumberedLine) => {
    if (block?.kind !== kind) {
      flush();
      block = { kind, lines: [] };
    }
    block.lines.push(line);
  };

  for (const line of numberedLines(text)) {
    const header = inFence ? null : HEADER.exec(line.text);
    if (header) {
      flush();
      time = `${header[1]}T${header[2]}`;
      entries.push({
        kind: 'system',
        time,
        model: null,
        text: 'Aider chat started',
        source: { file, line: line.number },
      });
      continue;
    }
    if (!inFence && line.text.startsWith('#### ')) {
      add('user', { number: line.number, text: line.text.slice(5) });
      continue;
    }
    if (!inFence && line.text.startsWith('>')) {
      const message = line.text.replace(/^> ?/, '');
      model = MODEL_LINE.exec(message)?.[1] ?? model;
      add('system', { number: line.number, text: message });
      continue;
    }
    if (line.text.trim() === '') {
      // A blank line ends Aider's quoted output and the user's input; within a reply it is a paragraph break.
      if ((block as Block | null)?.kind === 'assistant') add('assistant', line);
      else flush();
      continue;
    }
    // Aider quotes only the first line of a multi-line message: the lines that follow belong to it.
    const kind = (block as Block | null)?.kind === 'system' ? 'system' : 'assistant';
    if (kind === 'assistant' && FENCE.test(line.text)) inFence = !inFence;
    add(kind, line);
  }
  flush();
  return { agent: 'aider', conversationId: null, entries };
}

function blockEntry(
  block: Block,
  file: string,
  time: string | null,
  model: string | null,
): TranscriptEntry[] {
  // Aider ends user and quoted lines with two spaces (a Markdown line break); they are not part of the text.
  const lines = block.lines.map((line) =>
    block.kind === 'assistant' ? line.text : line.text.replace(/ {2}$/, ''),
  );
  const first = block.lines.findIndex((line) => line.text.trim() !== '');
  const text = lines.join('\n').trim();
  if (first === -1 || (text === '' && block.kind === 'assistant')) return [];
  const userText = block.kind === 'user' && text === '<blank>' ? '' : text;
  return [
    {
      kind: block.kind,
      time,
      model: block.kind === 'assistant' ? model : null,
      text: userText,
      source: { file, line: block.lines[first]?.number ?? 1 },
    },
  ];
}
