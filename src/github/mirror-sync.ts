// One sync of the mirror: read back what changed on GitHub since the last one (a single listing),
// let sdd follow it, plan what GitHub lacks, and write that, saving the mapping as it goes.

import { InvalidInputError } from '../core/errors.js';
import type { GithubMirrorStore } from '../core/github-mirror.js';
import type { Service } from '../core/service.js';
import type { GithubClient } from './github-client.js';
import {
  type ExecutionCounts,
  type ExecutionProgress,
  githubFailure,
  MirrorExecutor,
} from './mirror-executor.js';
import { type GatherOptions, gatherMirrorInput } from './mirror-input.js';
import { type MirrorOperation, planMirror } from './mirror-planner.js';
import { applyPull, CONFLICT_RULE, type RemoteIssue, reconcileIssue } from './mirror-pull.js';
import { parseRepo, type RepoTarget } from './repo-name.js';

export interface SyncRequest {
  service: Service;
  store: GithubMirrorStore;
  octokit: GithubClient;
  gather: Omit<GatherOptions, 'epic'>;
  epic?: string;
  dryRun?: boolean;
  /** Who the changes that come back from GitHub are made by in sdd. */
  actor?: string;
  onProgress?: (progress: ExecutionProgress) => void;
  /** GitHub's clock, as its answers tell it (github-client.ts's onResponseDate). */
  serverDate?: () => string | null;
}

export interface PulledChange {
  item: string;
  issue: number;
  title?: string;
  status?: string;
  conflict: boolean;
  notes: string[];
}

export interface SyncSummary extends ExecutionCounts {
  repo: string;
  dryRun: boolean;
  /** Issues the mirror holds for the synced items. */
  issues: number;
  /** The planned writes (all of them with --dry-run). */
  planned: { kind: MirrorOperation['kind']; key: string }[];
  pulled: PulledChange[];
  rule: string;
  warnings: string[];
}

export async function syncMirror(request: SyncRequest): Promise<SyncSummary> {
  const { service, store, octokit } = request;
  let state = await store.read();
  if (!state.repo)
    throw new InvalidInputError(
      'No GitHub repository is connected: run `sdd github connect <owner/repo>` first.',
    );
  const target = parseRepo(state.repo);
  const actor = request.actor ?? 'github';
  const pulled: PulledChange[] = [];
  const warnings: string[] = [];
  let startedAt: string | null = null;

  // 1. Back from GitHub: only issues changed since the last sync are listed.
  if (state.entries.length > 0) {
    const changed = await listChangedIssues(octokit, target, state.lastSyncAt);
    startedAt = request.serverDate?.() ?? null;
    const byNumber = new Map(state.entries.map((entry) => [entry.number, entry]));
    const items = new Map((await service.listItems()).map((item) => [item.id, item]));
    const entries = [];
    for (const issue of changed) {
      const entry = byNumber.get(issue.number);
      if (!entry) continue;
      const decision = reconcileIssue(entry, items.get(entry.key) ?? null, issue);
      if (!decision) continue;
      if (
        decision.item &&
        (decision.title !== undefined || decision.status !== undefined || decision.notes.length > 0)
      ) {
        pulled.push({
          item: decision.item.id,
          issue: issue.number,
          ...(decision.title !== undefined && { title: decision.title }),
          ...(decision.status !== undefined && { status: decision.status }),
          conflict: decision.conflict,
          notes: decision.notes,
        });
        if (!request.dryRun) {
          const refused = await applyPull(service, decision, actor);
          if (refused) warnings.push(refused);
        }
      }
      entries.push(decision.entry);
    }
    if (!request.dryRun && entries.length > 0) state = await store.write({ entries });
  }

  // 2. Out to GitHub.
  const input = await gatherMirrorInput(service, {
    ...request.gather,
    ...(request.epic && { epic: request.epic }),
  });
  const plan = planMirror(input, state);
  warnings.push(...plan.warnings);
  const executor = new MirrorExecutor(octokit, target, store, state.entries, request.onProgress);
  if (!request.dryRun) {
    await executor.run(plan);
    startedAt ??= request.serverDate?.() ?? null;
    // Nothing was asked of GitHub: its clock is unknown, and the last sync's time still holds.
    if (startedAt) await store.write({ lastSyncAt: new Date(startedAt).toISOString() });
  }
  return {
    repo: state.repo ?? '',
    dryRun: request.dryRun ?? false,
    issues: plan.issues,
    ...executor.counts,
    planned: plan.operations.map((op) => ({ kind: op.kind, key: op.key })),
    pulled,
    rule: CONFLICT_RULE,
    warnings: [...warnings, ...executor.warnings],
  };
}

async function listChangedIssues(
  octokit: GithubClient,
  target: RepoTarget,
  since: string | null,
): Promise<RemoteIssue[]> {
  try {
    const issues = await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
      ...target,
      state: 'all',
      per_page: 100,
      ...(since && { since }),
    });
    // The listing holds pull requests too; they are never the mirror's.
    return (issues as (RemoteIssue & { pull_request?: unknown })[]).filter((issue) => !issue.pull_request);
  } catch (error) {
    throw githubFailure(error, null, 0, 0);
  }
}
