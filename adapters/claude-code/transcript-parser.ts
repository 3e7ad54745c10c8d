// Reads Claude Code's session log (~/.claude/projects/<cwd-slug>/<sessionId>.jsonl) into the normal form:
// one JSON record per line, streamed one content block per record, tool results carried by user records.

import type { Transcript, TranscriptEntry } from '../agent-adapter.js';
import {
  isObject,
  isoTime,
  type JsonObject,
  metaEntry,
  type NumberedLine,
  numberedLines,
  parseJsonObject,
  stringField,
  summarizeToolCall,
  unknownEntry,
} from '../transcript-lines.js';
import { harnessText } from './harness-text.js';

/** Records of the harness's own bookkeeping (editor state, queue, prompt history): one meta line each. */
const BOOKKEEPING_TYPES = new Set([
  'file-history-snapshot',
  'queue-operation',
  'attachment',
  'last-prompt',
  'custom-title',
]);
/** System records that are timing or hook telemetry, with no text for the conversation. */
const META_SYSTEM_SUBTYPES = new Set(['turn_duration', 'stop_hook_summary', 'local_command']);

interface RecordContext {
  line: NumberedLine;
  file: string;
  time: string | null;
  /** Set when the record belongs to a sub-agent's conversation (isSidechain). */
  sidechain: TranscriptEntry['sidechain'];
}

export function parseClaudeCodeTranscript(text: string, file: string): Transcript {
  const entries: TranscriptEntry[] = [];
  let conversationId: string | null = null;
  let sidechainSessionId: string | null = null;
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
    // A sub-agent's records carry the session's id too, but a log of its own is read for the main one's.
    if (record.isSidechain !== true) conversationId ??= stringField(record, 'sessionId');
    else sidechainSessionId ??= stringField(record, 'sessionId');
    const context: RecordContext = {
      line,
      file,
      time: isoTime(record.timestamp),
      sidechain: record.isSidechain === true ? { agentId: stringField(record, 'agentId') } : undefined,
    };
    const before = entries.length;
    const last = entries[entries.length - 1];

    if (type === 'assistant') {
      const merged = readAssistant(record, context, openMessageId, last);
      if (merged === null) {
        entries.push(mark(unknownEntry(line, file, context.time), context));
        openMessageId = null;
        continue;
      }
      entries.push(...merged.entries);
      openMessageId = merged.openMessageId;
      continue;
    }
    let read: TranscriptEntry[];
    if (type === 'user') read = readUser(record, context) ?? [unknownEntry(line, file, context.time)];
    else if (type === 'system') read = [readSystem(record, context)];
    else if (type === 'progress') read = [readProgress(record, context)];
    else if (type === 'summary') {
      const summary = stringField(record, 'summary');
      read = [
        summary === null
          ? unknownEntry(line, file)
          : metaEntry(`summary: ${summary}`, at(context), null, 'summary'),
      ];
    } else if (BOOKKEEPING_TYPES.has(type))
      read = [metaEntry(bookkeepingLine(type, record), at(context), context.time, type)];
    else read = [unknownEntry(line, file, context.time)];
    entries.push(...read.map((entry) => mark(entry, context)));
    if (entries.length > before) openMessageId = null;
  }
  return { agent: 'claude-code', conversationId: conversationId ?? sidechainSessionId, entries };
}

function readAssistant(
  record: JsonObject,
  context: RecordContext,
  openMessageId: string | null,
  last: TranscriptEntry | undefined,
): { entries: TranscriptEntry[]; openMessageId: string | null } | null {
  const message = record.message;
  if (!isObject(message)) return null;
  const loggedModel = stringField(message, 'model');
  // The harness writes some replies itself (API errors, "No response requested.") under model <synthetic>.
  const synthetic = loggedModel === '<synthetic>';
  const model = synthetic ? null : loggedModel;
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
        entries.push(entry(synthetic ? 'system' : 'assistant', text, context, model));
        open = synthetic ? null : messageId;
      }
    } else if (blockType === 'tool_use') {
      const name = stringField(block, 'name') ?? 'unknown';
      entries.push({
        ...entry('tool_call', summarizeToolCall(name, block.input), context, model),
        tool: { name, callId: stringField(block, 'id'), input: block.input ?? null },
      });
      open = null;
    } else if (blockType === 'thinking') {
      entries.push(entry('thinking', stringField(block, 'thinking') ?? '', context, model));
      open = null;
    } else if (blockType === 'redacted_thinking') {
      entries.push(entry('thinking', '[redacted thinking]', context, model));
      open = null;
    } else {
      const recordType = `assistant/${blockType ?? 'block'}`;
      entries.push({ ...entry('unknown', '', context, model), recordType, raw: context.line.text });
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
      entry(
        'system',
        `Conversation compacted; summary given to the model:\n${textOf(message.content)}`,
        context,
        null,
      ),
    ];
  }
  // Command caveats and other harness-written text arrive as user messages flagged isMeta, or unflagged but
  // wrapped in the harness's tags.
  const userText = (text: string): TranscriptEntry => {
    const harness = harnessText(text);
    if (harness !== null) return metaEntry(harness, at(context), context.time);
    return entry(record.isMeta === true ? 'meta' : 'user', text, context, null);
  };
  if (typeof message.content === 'string') return [userText(message.content)];
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
      entries.push(userText(stringField(block, 'text') ?? ''));
    } else if (blockType === 'image' || blockType === 'document') {
      entries.push(entry(record.isMeta === true ? 'meta' : 'user', `[${blockType}]`, context, null));
    } else {
      const recordType = `user/${blockType ?? 'block'}`;
      entries.push({ ...entry('unknown', '', context, null), recordType, raw: context.line.text });
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
    return entry('system', `Conversation compacted${trigger ? ` (${trigger}${tokens})` : ''}`, context, null);
  }
  const content = stringField(record, 'content');
  const recordType = `system/${subtype ?? ''}`;
  if (subtype === 'turn_duration' && typeof record.durationMs === 'number')
    return metaEntry(
      `turn took ${(record.durationMs / 1000).toFixed(1)}s`,
      at(context),
      context.time,
      recordType,
    );
  if (content !== null) {
    const harness = harnessText(content);
    if (harness !== null || (subtype !== null && META_SYSTEM_SUBTYPES.has(subtype)))
      return metaEntry(harness ?? content, at(context), context.time, recordType);
    return entry('system', content, context, null);
  }
  return subtype !== null && META_SYSTEM_SUBTYPES.has(subtype)
    ? metaEntry(subtype, at(context), context.time, recordType)
    : unknownEntry(context.line, context.file, context.time);
}

/** Progress records: a hook running, a shell command's or a sub-agent's progress; one meta line each. */
function readProgress(record: JsonObject, context: RecordContext): TranscriptEntry {
  const data = isObject(record.data) ? record.data : {};
  const kind = stringField(data, 'type') ?? 'progress';
  const hook = stringField(data, 'hookName') ?? stringField(data, 'hookEvent');
  const text = kind === 'hook_progress' ? `hook ${hook ?? ''}`.trim() : kind.replace(/_/g, ' ');
  return metaEntry(text, at(context), context.time, `progress/${kind}`);
}

function bookkeepingLine(type: string, record: JsonObject): string {
  const attachment = isObject(record.attachment) ? stringField(record.attachment, 'type') : null;
  const operation = stringField(record, 'operation');
  const detail = attachment ?? operation;
  return detail ? `${type}: ${detail}` : type;
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

function at(context: RecordContext): { file: string; line: number } {
  return { file: context.file, line: context.line.number };
}

/** A sub-agent's entries say so, whatever their kind. */
function mark(entry: TranscriptEntry, context: RecordContext): TranscriptEntry {
  return context.sidechain ? { ...entry, sidechain: context.sidechain } : entry;
}

function entry(
  kind: TranscriptEntry['kind'],
  text: string,
  context: RecordContext,
  model: string | null,
): TranscriptEntry {
  return {
    kind,
    time: context.time,
    model,
    text,
    ...(context.sidechain && { sidechain: context.sidechain }),
    source: at(context),
  };
}
