// GitHub's webhook deliveries: the X-Hub-Signature-256 check (HMAC-SHA256 of the raw body with the
// shared secret), and the `issues` events the mirror follows at once (closed, reopened, edited).

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GithubMirrorStore } from '../core/github-mirror.js';
import type { Service } from '../core/service.js';
import { applyPull, type RemoteIssue, reconcileIssue } from './mirror-pull.js';

export function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface IssuesEvent {
  action: string;
  issue: RemoteIssue & { pull_request?: unknown };
  repository: { full_name: string };
}

export const FOLLOWED_ACTIONS = new Set(['closed', 'reopened', 'edited']);

export function isIssuesEvent(event: string | undefined, payload: unknown): payload is IssuesEvent {
  const p = payload as Partial<IssuesEvent> | null;
  return (
    event === 'issues' &&
    typeof p?.action === 'string' &&
    typeof p.issue?.number === 'number' &&
    typeof p.repository?.full_name === 'string'
  );
}

export interface WebhookOutcome {
  item: string | null;
  issue: number;
  changed: boolean;
  notes: string[];
}

/** Applies one issue event to the project whose mirror holds that issue. */
export async function applyIssuesEvent(
  service: Service,
  store: GithubMirrorStore,
  payload: IssuesEvent,
): Promise<WebhookOutcome> {
  const state = await store.read();
  const entry = state.entries.find((e) => e.number === payload.issue.number);
  const outcome: WebhookOutcome = {
    item: entry?.key ?? null,
    issue: payload.issue.number,
    changed: false,
    notes: [],
  };
  if (!entry || !FOLLOWED_ACTIONS.has(payload.action)) return outcome;
  const item = (await service.listItems()).find((i) => i.id === entry.key) ?? null;
  const decision = reconcileIssue(entry, item, payload.issue);
  if (!decision) return outcome;
  await applyPull(service, decision, 'github');
  await store.write({ entries: [decision.entry] });
  outcome.changed = decision.title !== undefined || decision.status !== undefined;
  outcome.notes = decision.notes;
  return outcome;
}
