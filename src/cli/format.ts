// Text for people: one line per item, statuses as marks, times in local time, small tables.

import type { Progress } from '../core/containers.js';
import type { ItemSummary } from '../core/ready.js';
import type { Item, Status } from '../core/types.js';

const MARKS: Record<Status, string> = { open: '○', in_progress: '◐', done: '✓', cancelled: '✗' };

export function statusMark(status: Status): string {
  return MARKS[status];
}

export function priorityLabel(priority: number): string {
  return `P${priority}`;
}

/** T012 for an imported task, the epic's folder for an epic, else nothing. */
export function localRef(item: Pick<Item, 'source'>): string {
  return item.source ? item.source.ref : '';
}

/** sd-12 T012 for a task from a task list; just the id for the rest (a feature's key says little). */
export function summaryLabel(summary: ItemSummary): string {
  const local =
    summary.ref && summary.type !== 'epic' ? summary.ref.slice(summary.ref.lastIndexOf('/') + 1) : '';
  return local && summary.type !== 'feature' ? `${summary.id} ${local}` : summary.id;
}

export function progressLabel(progress: Progress | null): string {
  if (!progress) return '';
  return `${progress.done}/${progress.total} done${progress.cancelled ? `, ${progress.cancelled} cancelled` : ''}`;
}

export function itemLine(item: Item, widths: { id: number; ref: number }, showType = false): string {
  const ref = localRef(item).padEnd(widths.ref);
  const title = showType && item.type !== 'task' ? `${item.type}: ${item.title}` : item.title;
  const parts = [
    statusMark(item.status),
    item.id.padEnd(widths.id),
    ref,
    priorityLabel(item.priority),
    title,
  ];
  const gone = item.source?.removed ? '  (no longer in tasks.md)' : '';
  return parts.filter((_, i) => i !== 2 || widths.ref > 0).join('  ') + gone;
}

export function columnWidths(items: Item[]): { id: number; ref: number } {
  let id = 0;
  let ref = 0;
  for (const item of items) {
    id = Math.max(id, item.id.length);
    ref = Math.max(ref, localRef(item).length);
  }
  return { id, ref };
}

export function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** 14:05:09 today, else with the date: a lease of 30 seconds and one of two days both read right. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  const time = date.toTimeString().slice(0, 8);
  return date.toDateString() === new Date().toDateString() ? time : `${localTime(iso).slice(0, 10)} ${time}`;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
