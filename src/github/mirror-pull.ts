// Back from GitHub: an issue retitled, closed or reopened there changes its item in sdd. When both
// sides changed since the last sync, one rule decides: sdd wins for the title; for open/closed the
// later change wins. Either way the item gets a note saying what happened.

import type { GithubMirrorEntry } from '../core/github-mirror.js';
import type { Service } from '../core/service.js';
import type { Item, Status } from '../core/types.js';
import { issueTitle, itemState } from './issue-content.js';

/** What sdd needs of an issue as GitHub lists it (REST and webhook payloads alike). */
export interface RemoteIssue {
  number: number;
  title: string;
  state: string;
  state_reason?: string | null;
  updated_at: string;
  closed_at?: string | null;
  labels?: (string | { name?: string })[];
}

/** sdd's own labels: type:*, status:*, priority:*, mvp, sdd:*. */
export function isSddLabel(name: string): boolean {
  return /^(type|status|priority|sdd):/.test(name) || name === 'mvp';
}

function foreignLabelsOf(issue: RemoteIssue): string[] | undefined {
  if (!issue.labels) return undefined;
  const names = issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
  return names.filter((name) => !isSddLabel(name));
}

export interface PullDecision {
  entry: GithubMirrorEntry;
  item: Item | null;
  title?: string;
  status?: Status;
  notes: string[];
  conflict: boolean;
}

export const CONFLICT_RULE =
  'When an issue and its item both changed since the last sync, sdd keeps its own title, and the later of the two open/closed changes wins.';

/** null when the issue is as the mirror left it. */
export function reconcileIssue(
  entry: GithubMirrorEntry,
  item: Item | null,
  issue: RemoteIssue,
): PullDecision | null {
  if (
    issue.updated_at === entry.remoteUpdatedAt &&
    issue.title === entry.title &&
    issue.state === entry.state
  )
    return null;
  const next: GithubMirrorEntry = {
    ...entry,
    title: issue.title,
    state: issue.state === 'closed' ? 'closed' : 'open',
    remoteUpdatedAt: issue.updated_at,
  };
  const foreign = foreignLabelsOf(issue);
  if (foreign !== undefined) next.foreignLabels = foreign;
  const decision: PullDecision = { entry: next, item, notes: [], conflict: false };
  if (!item || entry.orphaned) return decision;
  const where = `GitHub #${issue.number}`;

  // A title GitHub now has that sdd has too (sdd's own write, seen before the mirror noted it) is no change.
  if (issue.title !== entry.title && issue.title !== issueTitle(item.title)) {
    if (issueTitle(item.title) !== entry.title) {
      decision.conflict = true;
      next.hash = '';
      decision.notes.push(
        `${where} was retitled “${issue.title}” while sdd's title changed too: sdd keeps “${item.title}” (titles: sdd wins) and writes it back.`,
      );
    } else {
      decision.title = issue.title;
      decision.notes.push(`Retitled on ${where}: “${entry.title}” → “${issue.title}”.`);
    }
  }

  if (next.state !== entry.state) {
    const remoteStatus: Status =
      next.state === 'closed' ? (issue.state_reason === 'not_planned' ? 'cancelled' : 'done') : 'open';
    const sddState = itemState(item).state;
    if (sddState === entry.state) {
      // Only GitHub changed: sdd follows (open is open, whether or not someone works on it).
      decision.status = remoteStatus;
      decision.notes.push(
        `${next.state === 'closed' ? 'Closed' : 'Reopened'} on ${where}: now ${remoteStatus}.`,
      );
    } else if (sddState !== next.state) {
      decision.conflict = true;
      const remoteAt = (next.state === 'closed' && issue.closed_at) || issue.updated_at;
      if (remoteAt > item.updatedAt) {
        decision.status = remoteStatus;
        decision.notes.push(
          `${where} was ${next.state === 'closed' ? 'closed' : 'reopened'} after sdd's own change to ${item.status}: the later change wins, so it is now ${remoteStatus}.`,
        );
      } else {
        next.hash = '';
        decision.notes.push(
          `${where} was ${next.state === 'closed' ? 'closed' : 'reopened'}, but sdd's change to ${item.status} came later: the later change wins, and the issue follows sdd.`,
        );
      }
    }
  }
  return decision;
}

/** Changes the item as decided; a change sdd refuses (a feature with open tasks) stays on sdd's side. */
export async function applyPull(
  service: Service,
  decision: PullDecision,
  actor: string,
): Promise<string | null> {
  const { item } = decision;
  if (!item) return null;
  let refused: string | null = null;
  if (decision.title !== undefined || decision.status !== undefined) {
    try {
      await service.updateItem(
        item.id,
        {
          ...(decision.title !== undefined && { title: decision.title }),
          ...(decision.status !== undefined && { status: decision.status }),
          force: true,
        },
        actor,
      );
    } catch (error) {
      // The title may still come over; the state goes back to what sdd has on the next push.
      refused = `${item.id}: GitHub #${decision.entry.number}'s change was not taken (${(error as Error).message}); the issue follows sdd.`;
      decision.entry.hash = '';
      if (decision.title !== undefined)
        await service.updateItem(item.id, { title: decision.title }, actor).catch(() => undefined);
      decision.notes.push(`sdd could not follow: ${(error as Error).message}`);
    }
  }
  for (const note of decision.notes) await service.addNote(item.id, note, actor);
  return refused;
}
