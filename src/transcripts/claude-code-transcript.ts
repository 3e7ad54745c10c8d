// Reads Claude Code's session log (~/.claude/projects/<cwd-slug>/<sessionId>.jsonl) into the normal form:
// one JSON record per line, streamed one content block per record, tool results carried by user records.

import type { Transcript, TranscriptEntry } from '../core/transcript.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  summarizeToolCall,
  unknownEntry,
} from './transcript-lines.js';

/** Records that carry no conversation: editor state, queue bookkeeping. Known, so not 'unknown'. */
const SILENT_TYPES = new Set(['file-history-snapshot', 'queue-operation']);
/** System records that are timing telemetry, with no text for the conversation. */
const SILENT_SYSTEM_SUBTYPES = new Set(['turn_duration']);

interface RecordContext {
  line: NumberedLine;
  file: string;
  time: string | null;
}

export function parseClaudeCodeTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let conversationId: string | null = null;
  // The message id of the assistant entry last pushed, so the next streamed text block of that message joins it.
  let openMessageId: string | null = null;

  for (const line of numberedLines(text)) {
    const record = parseJsonObject(line.text);
    const type = record ? stringField(record, 'type') : null;
    if (!record || !type) {
      entries.push(unknownEntry(line, file));
      openMessageId = null;
      continue;
    }
    conversationId ??= stringField(record, 'sessionId');
    const context: RecordContext = { line, file, time: isoTime(record.timestamp) };
    const before = entries.length;
    const last = entries[entries.length - 1];

    if (type === 'assistant') {
      const merged = readAssistant(record, context, openMessageId, last);
      if (merged === null) {
        entries.push(unknownEntry(line, file, context.time));
        openMessageId = null;
        continue;
      }
      entries.push(...merged.entries);
      openMessageId = merged.openMessageId;
      continue;
    }
    if (type === 'user') {
      const read = readUser(record, context);
      entries.push(...(read ?? [unknownEntry(line, file, context.time)]));
    } else if (type === 'system') {
      if (!SILENT_SYSTEM_SUBTYPES.has(stringField(record, 'subtype') ?? ''))
        entries.push(readSystem(record, context));
    } else if (type === 'summary') {
      const summary = stringField(record, 'summary');
      entries.push(
        summary === null
          ? unknownEntry(line, file)
          : systemEntry(`Session summary: ${summary}`, { ...context, time: null }),
      );
    } else if (!SILENT_TYPES.has(type)) {
      entries.push(unknownEntry(line, file, context.time));
    }
    if (entries.length > before) openMessageId = null;
  }
  return { agent: 'claude-code', conversationId, entries };
}

function readAssistant(
  record: JsonObject,
  context: RecordContext,
  openMessageId: string | null,
  last: TranscriptEntry | undefined,
): { entries: TranscriptEntry[]; openMessageId: string | null } | null {
  const message = record.message;
  if (!isObject(message)) return null;
  const model = stringField(message, 'model');
  const messageId = stringField(message, 'id');
  const blocks = contentBlocks(message.content);
  if (!blocks) return null;
  const entries: TranscriptEntry[] = [];
  let open = openMessageId;
  for (const block of blocks) {
    const blockType = stringField(block, 'type');
    if (blockType === 'text') {
      const text = stringField(block, 'text') ?? '';
      const previous = entries[entries.length - 1] ?? (entries.length === 0 ? last : undefined);
      if (previous?.kind === 'assistant' && messageId !== null && open === messageId) {
        // Streaming wrote one record per block: the blocks of one message are one reply.
        previous.text = previous.text ? `${previous.text}\n\n${text}` : text;
      } else {
        entries.push(entry('assistant', text, context, model));
        open = messageId;
      }
    } else if (blockType === 'tool_use') {
      const name = stringField(block, 'name') ?? 'unknown';
      entries.push({
        ...entry('tool_call', summarizeToolCall(name, block.input), context, model),
        tool: { name, callId: stringField(block, 'id'), input: block.input ?? null },
      });
      open = null;
    } else if (blockType === 'thinking' || blockType === 'redacted_thinking') {
      // Reasoning is not part of the conversation the normal form records; skipping it keeps text blocks
      // of the same message mergeable across it.
    } else {
      entries.push({ ...entry('unknown', '', context, model), raw: context.line.text });
      open = null;
    }
  }
  return { entries, openMessageId: open };
}

function readUser(record: JsonObject, context: RecordContext): TranscriptEntry[] | null {
  const message = record.message;
  if (!isObject(message)) return null;
  if (record.isCompactSummary === true) {
    return [
      systemEntry(`Conversation compacted; summary given to the model:\n${textOf(message.content)}`, context),
    ];
  }
  // Command caveats and other harness-written text arrive as user messages flagged isMeta.
  const kind = record.isMeta === true ? 'system' : 'user';
  if (typeof message.content === 'string') return [entry(kind, message.content, context, null)];
  const blocks = contentBlocks(message.content);
  if (!blocks) return null;
  const entries: TranscriptEntry[] = [];
  for (const block of blocks) {
    const blockType = stringField(block, 'type');
    if (blockType === 'tool_result') {
      entries.push({
        ...entry('tool_result', textOf(block.content), context, null),
        result: { callId: stringField(block, 'tool_use_id'), isError: block.is_error === true },
      });
    } else if (blockType === 'text') {
      entries.push(entry(kind, stringField(block, 'text') ?? '', context, null));
    } else if (blockType === 'image' || blockType === 'document') {
      entries.push(entry(kind, `[${blockType}]`, context, null));
    } else {
      entries.push({ ...entry('unknown', '', context, null), raw: context.line.text });
    }
  }
  return entries;
}

function readSystem(record: JsonObject, context: RecordContext): TranscriptEntry {
  const subtype = stringField(record, 'subtype');
  if (subtype === 'compact_boundary') {
    const metadata = isObject(record.compactMetadata) ? record.compactMetadata : {};
    const trigger = stringField(metadata, 'trigger');
    const tokens = typeof metadata.preTokens === 'number' ? `, ${metadata.preTokens} tokens before` : '';
    return systemEntry(`Conversation compacted${trigger ? ` (${trigger}${tokens})` : ''}`, context);
  }
  const content = stringField(record, 'content');
  return content === null
    ? unknownEntry(context.line, context.file, context.time)
    : systemEntry(content, context);
}

function contentBlocks(content: unknown): JsonObject[] | null {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content) || !content.every(isObject)) return null;
  return content;
}

/** Text of a content field that is a string or a list of blocks; images and other media become a marker. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    return content === undefined || content === null ? '' : JSON.stringify(content);
  return content
    .map((block) => {
      if (!isObject(block)) return JSON.stringify(block);
      const text = stringField(block, 'text');
      return text ?? `[${stringField(block, 'type') ?? 'block'}]`;
    })
    .join('\n');
}

function entry(
  kind: TranscriptEntry['kind'],
  text: string,
  context: RecordContext,
  model: string | null,
): TranscriptEntry {
  return { kind, time: context.time, model, text, source: { file: context.file, line: context.line.number } };
}

function systemEntry(text: string, context: RecordContext): TranscriptEntry {
  return entry('system', text, context, null);
}
