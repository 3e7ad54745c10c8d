// What an item looks like as a GitHub issue: its title, body, labels and state, and the hash the
// mirror keeps of them so that an unchanged item costs no request.

import { createHash } from 'node:crypto';
import type { IssueState } from '../core/github-mirror.js';
import { type Item, isClosed, sourceRef } from '../core/types.js';
import type { MirrorInput, MirrorSession } from './mirror-input.js';

/** GitHub refuses a longer body (422 "body is too long"). */
export const BODY_LIMIT = 65_536;
/** GitHub cuts titles at 256 characters; sdd cuts them first, so what it wrote is what it reads back. */
export const TITLE_LIMIT = 256;
/** Sessions listed in a body: the newest ones; the rest are counted. */
const SESSIONS_SHOWN = 20;

export type StateReason = 'completed' | 'not_planned' | 'reopened';

export interface IssueContent {
  title: string;
  body: string;
  labels: string[];
  state: IssueState;
  stateReason: StateReason | null;
  /** Set when the body was cut to fit BODY_LIMIT. */
  truncated: boolean;
}

export interface LabelSpec {
  name: string;
  color: string;
  description: string;
}

const TYPE_COLOR = '5319e7';
const STATUS_COLOR: Record<string, string> = {
  open: 'c2e0c6',
  in_progress: 'fbca04',
  done: '0e8a16',
  cancelled: 'cccccc',
};
const PRIORITY_COLOR = 'd93f0b';
export const OVERFLOW_LABEL = 'sdd:overflow';

/** The label sdd puts on each issue, with the colour and description it is created with. */
export function labelSpec(name: string): LabelSpec {
  const [kind, value = ''] = name.split(':');
  if (kind === 'type') return { name, color: TYPE_COLOR, description: `sdd item type: ${value}` };
  if (kind === 'status') return { name, color: STATUS_COLOR[value] ?? 'ededed', description: `sdd status` };
  if (kind === 'priority')
    return { name, color: PRIORITY_COLOR, description: 'sdd priority (P0 most urgent)' };
  if (name === 'mvp') return { name, color: 'b60205', description: 'in the epic’s minimum viable product' };
  return { name, color: 'ededed', description: 'made by sdd' };
}

export function itemLabels(item: Item): string[] {
  const labels = [`type:${item.type}`, `status:${item.status}`, `priority:P${item.priority}`];
  if (item.mvp) labels.push('mvp');
  return labels;
}

export function itemState(item: Item): { state: IssueState; stateReason: StateReason | null } {
  if (!isClosed(item.status)) return { state: 'open', stateReason: null };
  return { state: 'closed', stateReason: item.status === 'done' ? 'completed' : 'not_planned' };
}

export function issueTitle(title: string): string {
  return title.length <= TITLE_LIMIT ? title : `${title.slice(0, TITLE_LIMIT - 1)}…`;
}

/** `parentNote`: why the issue is not a sub-issue of its parent, when it cannot be one. */
export function itemContent(item: Item, input: MirrorInput, parentNote: string | null): IssueContent {
  const ref = item.source ? sourceRef(item.source) : null;
  const footer = [
    '',
    '---',
    `<sub>Mirrored by sdd from ${item.id}${ref ? ` (${ref})` : ''}. A new title or a close/reopen here comes back to sdd on the next sync; the body is rewritten by sdd.</sub>`,
  ];
  const sections: string[] = [];
  if (parentNote) sections.push(`> ${parentNote}`);
  const documents = specLinks(item, input);
  if (documents.length > 0) sections.push(['**Spec documents**', ...documents].join('\n'));
  const sessions = input.sessions.get(item.id) ?? [];
  if (sessions.length > 0) sections.push(sessionLines(sessions));
  const tail = [...sections.map((s) => `\n${s}`), ...footer].join('\n');
  const { body, truncated } = fitBody(item.description.trim(), tail, item.id);
  return { title: issueTitle(item.title), body, labels: itemLabels(item), ...itemState(item), truncated };
}

/** Description first, cut (with a note saying where the rest is) when the whole would not fit. */
function fitBody(description: string, tail: string, itemId: string): { body: string; truncated: boolean } {
  const whole = `${description}\n${tail}`;
  if (whole.length <= BODY_LIMIT) return { body: whole, truncated: false };
  const note = `\n\n> The description was cut to fit GitHub's limit of ${BODY_LIMIT} characters; \`sdd show ${itemId}\` has all of it.\n`;
  const room = Math.max(0, BODY_LIMIT - tail.length - note.length - 1);
  if (room === 0) {
    // Even the links do not fit: the note alone, cut hard, is still a truthful issue.
    return { body: `${note.trim()}\n${tail}`.slice(0, BODY_LIMIT), truncated: true };
  }
  return { body: `${description.slice(0, room)}…${note}${tail}`, truncated: true };
}

function specLinks(item: Item, input: MirrorInput): string[] {
  const source = item.source;
  if (!source) return [];
  const blob = `${input.repoWebUrl}/blob/HEAD`;
  const lines = [`- [${source.file}:${source.line}](${blob}/${encodePath(source.file)}#L${source.line})`];
  // The epic's issue links every document of its folder; the others link their own line.
  if (item.type === 'epic') {
    for (const path of input.specDocuments.get(source.epicKey) ?? []) {
      if (path !== source.file) lines.push(`- [${path}](${blob}/${encodePath(path)})`);
    }
  }
  return lines;
}

function sessionLines(sessions: MirrorSession[]): string {
  const lines = ['**Sessions**'];
  for (const s of sessions.slice(0, SESSIONS_SHOWN)) {
    const replay = s.replayUrl ? `[replay](${s.replayUrl})` : `\`sdd replay ${s.id}\``;
    lines.push(
      `- ${s.id} · ${s.agent} · ${s.actor} · ${s.status} · ${s.startedAt.slice(0, 16).replace('T', ' ')} · ${replay}`,
    );
  }
  if (sessions.length > SESSIONS_SHOWN) {
    lines.push(
      `- … and ${sessions.length - SESSIONS_SHOWN} older ones: \`sdd sessions --item ${sessions[0]!.id}\``,
    );
  }
  return lines.join('\n');
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function contentHash(
  content: Pick<IssueContent, 'title' | 'body' | 'labels' | 'state' | 'stateReason'>,
): string {
  const canonical = JSON.stringify([
    content.title,
    content.body,
    [...content.labels].sort(),
    content.state,
    content.state === 'closed' ? content.stateReason : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
