// The mirror's plan, a pure function: the tree (items, blocks edges, sessions), the mapping kept
// from the last sync → the writes that make GitHub match. Nothing in the mapping changed → no
// operation; one item changed → one update.

import type { GithubMirrorEntry, GithubMirrorState } from '../core/github-mirror.js';
import { type Item, isClosed } from '../core/types.js';
import { contentHash, type IssueContent, issueTitle, itemContent, OVERFLOW_LABEL } from './issue-content.js';
import type { MirrorInput } from './mirror-input.js';
import { isOverflowKey, layoutIssues, overflowBase, type PlacedIssue } from './mirror-layout.js';

export type MirrorOperation =
  | { kind: 'create'; key: string; content: IssueContent }
  | { kind: 'update'; key: string; content: IssueContent }
  /** Hang the issue under `parentKey` as a sub-issue, or (null) take it from under its parent. */
  | { kind: 'link'; key: string; parentKey: string | null }
  | { kind: 'block'; key: string; blockerKey: string; add: boolean }
  /** The item was deleted in sdd (or an overflow issue is no longer needed): comment and close. */
  | { kind: 'close-deleted'; key: string };

export interface MirrorPlan {
  operations: MirrorOperation[];
  /** Issues the mirror holds after the plan, by key. */
  issues: number;
  warnings: string[];
}

export function planMirror(input: MirrorInput, state: GithubMirrorState): MirrorPlan {
  const warnings: string[] = [];
  const scoped = input.items.filter((item) => !input.scope || input.scope.has(item.id));
  const placed = layoutIssues(scoped, warnings);
  const entries = new Map(state.entries.map((entry) => [entry.key, entry]));
  const placedKeys = new Set(placed.map((p) => p.key));

  const creates: MirrorOperation[] = [];
  const updates: MirrorOperation[] = [];
  const links: MirrorOperation[] = [];
  const blocks: MirrorOperation[] = [];
  for (const issue of placed) {
    const entry = entries.get(issue.key);
    const content =
      issue.overflow === null ? itemContent(issue.item, input, issue.parentNote) : overflowContent(issue);
    if (content.truncated)
      warnings.push(`${issue.key}: its description was cut to fit GitHub's body limit; the issue says so.`);
    if (!entry || entry.orphaned) creates.push({ kind: 'create', key: issue.key, content });
    else if (entry.hash !== contentHash(content)) updates.push({ kind: 'update', key: issue.key, content });
    if ((entry && !entry.orphaned ? entry.parentKey : null) !== issue.parentKey) {
      links.push({ kind: 'link', key: issue.key, parentKey: issue.parentKey });
    }
    if (issue.overflow === null) blocks.push(...blockOperations(issue, entry, input, placedKeys));
  }

  const closes: MirrorOperation[] = [];
  const existing = new Set(input.items.map((item) => item.id));
  for (const entry of state.entries) {
    if (entry.orphaned || placedKeys.has(entry.key)) continue;
    const gone = isOverflowKey(entry.key)
      ? !input.scope || input.scope.has(overflowBase(entry.key))
      : !existing.has(entry.key);
    if (gone) closes.push({ kind: 'close-deleted', key: entry.key });
  }
  // Unlinking first frees room under a parent before another issue moves in.
  links.sort(
    (a, b) =>
      Number(a.kind === 'link' && a.parentKey !== null) - Number(b.kind === 'link' && b.parentKey !== null),
  );
  return {
    operations: [...creates, ...updates, ...links, ...blocks, ...closes],
    issues: placed.length,
    warnings,
  };
}

function blockOperations(
  issue: PlacedIssue,
  entry: GithubMirrorEntry | undefined,
  input: MirrorInput,
  placedKeys: Set<string>,
): MirrorOperation[] {
  const wanted = (input.blockedBy.get(issue.key) ?? []).filter((key) => placedKeys.has(key));
  const linked = entry && !entry.orphaned ? entry.blockedBy : [];
  const operations: MirrorOperation[] = [];
  for (const key of linked) {
    if (!wanted.includes(key))
      operations.push({ kind: 'block', key: issue.key, blockerKey: key, add: false });
  }
  for (const key of wanted) {
    if (!linked.includes(key)) operations.push({ kind: 'block', key: issue.key, blockerKey: key, add: true });
  }
  return operations;
}

function overflowContent(issue: PlacedIssue): IssueContent {
  const base: Item = issue.item;
  const closed = isClosed(base.status);
  const lines = [
    `GitHub holds at most 100 sub-issues per issue: this issue carries on the list of ${base.id} “${base.title}” (part ${(issue.overflow ?? 0) + 1}).`,
  ];
  if (issue.parentNote) lines.push('', `> ${issue.parentNote}`);
  lines.push('', '---', '<sub>Made by sdd; it closes with the item it continues.</sub>');
  return {
    title: issueTitle(`${base.title} (continued, part ${(issue.overflow ?? 0) + 1})`),
    body: lines.join('\n'),
    labels: [OVERFLOW_LABEL],
    state: closed ? 'closed' : 'open',
    stateReason: closed ? (base.status === 'done' ? 'completed' : 'not_planned') : null,
    truncated: false,
  };
}
