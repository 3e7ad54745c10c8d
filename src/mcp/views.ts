// The tools' answers as short text: an agent reads every token of them, so one line per item and
// only what helps it decide what to do next.

import type { ItemDetails } from '../core/service.js';
import type { Item } from '../core/types.js';

interface Named {
  id: string;
  ref?: string | null;
  source?: Item['source'];
  title: string;
  status: string;
}

export function nameOf(item: Named): string {
  const ref = item.ref ?? item.source?.ref ?? null;
  return ref && ref !== item.id ? `${item.id} (${ref})` : item.id;
}

export function line(item: Named & { type?: string; priority?: number }): string {
  const priority = item.priority === undefined ? '' : ` P${item.priority}`;
  return `${nameOf(item)}${item.type && item.type !== 'task' ? ` ${item.type}` : ''}${priority} [${item.status}] ${item.title}`;
}

export function detailsText(details: ItemDetails): string {
  const { item } = details;
  const lines = [line(item)];
  if (item.description) lines.push(item.description);
  if (item.labels.length > 0) lines.push(`labels: ${item.labels.join(', ')}`);
  if (item.claim) lines.push(`claimed by ${item.claim.actor} until ${item.claim.expiresAt}`);
  if (details.parent && details.parent.id !== details.epic?.id) lines.push(`in: ${line(details.parent)}`);
  if (details.epic && details.epic.id !== item.id) lines.push(`epic: ${line(details.epic)}`);
  if (details.progress) lines.push(`progress: ${details.progress.done}/${details.progress.total} done`);
  const list = (title: string, items: Named[]) => {
    if (items.length > 0) lines.push(`${title}:`, ...items.map((i) => `- ${line(i)}`));
  };
  list('blocked by', details.blockedBy);
  list('blocks', details.blocks);
  list('discovered from', details.discoveredFrom);
  list('children', details.children);
  lines.push(
    details.ready
      ? 'ready: yes'
      : `ready: no${details.waitsOn.length > 0 ? ' (waits on unfinished work)' : ''}`,
  );
  if (item.notes.length > 0) {
    lines.push('notes:', ...item.notes.map((n) => `- ${n.at.slice(0, 16)} ${n.author}: ${n.text}`));
  }
  return lines.join('\n');
}
