// Carries a plan out on GitHub, one request at a time, saving the mapping after every write: a
// sync cut off anywhere continues from there next time instead of creating an issue twice.

import { GithubError } from '../core/errors.js';
import type { GithubMirrorEntry, GithubMirrorStore } from '../core/github-mirror.js';
import type { GithubClient } from './github-client.js';
import { contentHash, type IssueContent, labelSpec } from './issue-content.js';
import type { MirrorOperation, MirrorPlan } from './mirror-planner.js';
import type { RepoTarget } from './repo-name.js';

export interface ExecutionCounts {
  created: number;
  updated: number;
  linked: number;
  unlinked: number;
  dependenciesAdded: number;
  dependenciesRemoved: number;
  closedDeleted: number;
  labelsCreated: number;
}

export interface ExecutionProgress {
  done: number;
  total: number;
  operation: MirrorOperation;
}

interface IssueAnswer {
  id: number;
  number: number;
  title: string;
  state: string;
  updated_at: string;
}

export class MirrorExecutor {
  private readonly entries: Map<string, GithubMirrorEntry>;
  readonly counts: ExecutionCounts = {
    created: 0,
    updated: 0,
    linked: 0,
    unlinked: 0,
    dependenciesAdded: 0,
    dependenciesRemoved: 0,
    closedDeleted: 0,
    labelsCreated: 0,
  };
  readonly warnings: string[] = [];

  constructor(
    private readonly octokit: GithubClient,
    private readonly target: RepoTarget,
    private readonly store: GithubMirrorStore,
    entries: GithubMirrorEntry[],
    private readonly onProgress: (progress: ExecutionProgress) => void = () => undefined,
  ) {
    this.entries = new Map(entries.map((entry) => [entry.key, entry]));
  }

  async run(plan: MirrorPlan): Promise<void> {
    await this.ensureLabels(plan.operations);
    let done = 0;
    for (const operation of plan.operations) {
      try {
        await this.perform(operation);
      } catch (error) {
        throw githubFailure(error, operation, done, plan.operations.length);
      }
      done += 1;
      this.onProgress({ done, total: plan.operations.length, operation });
    }
  }

  private async perform(operation: MirrorOperation): Promise<void> {
    switch (operation.kind) {
      case 'create':
        return this.create(operation.key, operation.content);
      case 'update':
        return this.update(this.entry(operation.key), operation.content);
      case 'link':
        return this.link(this.entry(operation.key), operation.parentKey);
      case 'block':
        return this.block(this.entry(operation.key), this.entry(operation.blockerKey), operation.add);
      case 'close-deleted':
        return this.closeDeleted(this.entry(operation.key));
    }
  }

  private entry(key: string): GithubMirrorEntry {
    const entry = this.entries.get(key);
    if (!entry) throw new GithubError(`The mirror has no issue for ${key}; run \`sdd github sync\` again.`);
    return entry;
  }

  private async save(entry: GithubMirrorEntry): Promise<void> {
    this.entries.set(entry.key, entry);
    await this.store.write({ entries: [entry] });
  }

  private async create(key: string, content: IssueContent): Promise<void> {
    const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/issues', {
      ...this.target,
      title: content.title,
      body: content.body,
      labels: content.labels,
    });
    const issue = data as IssueAnswer;
    const opened = { ...content, state: 'open' as const, stateReason: null };
    // Saved before anything else: a sync stopped right after this request finds the issue next time.
    await this.save({
      key,
      number: issue.number,
      issueId: issue.id,
      hash: contentHash(opened),
      title: content.title,
      state: 'open',
      remoteUpdatedAt: issue.updated_at,
      parentKey: null,
      blockedBy: [],
    });
    this.counts.created += 1;
    // An issue is always born open: a done or cancelled item's is closed at once.
    if (content.state === 'closed') await this.update(this.entry(key), content, false);
  }

  private async update(entry: GithubMirrorEntry, content: IssueContent, count = true): Promise<void> {
    const { data } = await this.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...this.target,
      issue_number: entry.number,
      title: content.title,
      body: content.body,
      labels: [...content.labels, ...(entry.foreignLabels ?? [])],
      state: content.state,
      ...(content.state === 'closed' && content.stateReason && { state_reason: content.stateReason }),
    });
    const issue = data as IssueAnswer;
    await this.save({
      ...entry,
      hash: contentHash(content),
      title: content.title,
      state: content.state,
      remoteUpdatedAt: issue.updated_at,
      orphaned: false,
    });
    if (count) this.counts.updated += 1;
  }

  private async link(entry: GithubMirrorEntry, parentKey: string | null): Promise<void> {
    if (parentKey === null) {
      const old = entry.parentKey ? this.entries.get(entry.parentKey) : undefined;
      if (old) {
        await this.octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue', {
          ...this.target,
          issue_number: old.number,
          sub_issue_id: entry.issueId,
        });
        this.counts.unlinked += 1;
      }
      await this.save({ ...entry, parentKey: null });
      return;
    }
    const parent = this.entry(parentKey);
    await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
      ...this.target,
      issue_number: parent.number,
      sub_issue_id: entry.issueId,
      ...(entry.parentKey !== null && { replace_parent: true }),
    });
    await this.save({ ...entry, parentKey });
    this.counts.linked += 1;
  }

  private async block(entry: GithubMirrorEntry, blocker: GithubMirrorEntry, add: boolean): Promise<void> {
    if (add) {
      await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by', {
        ...this.target,
        issue_number: entry.number,
        issue_id: blocker.issueId,
      });
      await this.save({ ...entry, blockedBy: [...entry.blockedBy, blocker.key] });
      this.counts.dependenciesAdded += 1;
      return;
    }
    await this.octokit.request(
      'DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}',
      { ...this.target, issue_number: entry.number, issue_id: blocker.issueId },
    );
    await this.save({ ...entry, blockedBy: entry.blockedBy.filter((key) => key !== blocker.key) });
    this.counts.dependenciesRemoved += 1;
  }

  private async closeDeleted(entry: GithubMirrorEntry): Promise<void> {
    const overflow = entry.key.startsWith('overflow:');
    await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...this.target,
      issue_number: entry.number,
      body: overflow
        ? 'sdd no longer needs this issue to hold sub-issues: closed (not deleted).'
        : `${entry.key} was deleted in sdd: sdd closes this issue (it never deletes one) and stops mirroring it.`,
    });
    const { data } = await this.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...this.target,
      issue_number: entry.number,
      state: 'closed',
      state_reason: 'not_planned',
    });
    await this.save({
      ...entry,
      state: 'closed',
      remoteUpdatedAt: (data as IssueAnswer).updated_at,
      orphaned: true,
      parentKey: null,
      blockedBy: [],
    });
    this.counts.closedDeleted += 1;
  }

  /** The labels the plan writes, created when the repository lacks them (one listing per sync with writes). */
  private async ensureLabels(operations: MirrorOperation[]): Promise<void> {
    const wanted = new Set<string>();
    for (const op of operations) {
      if (op.kind === 'create' || op.kind === 'update')
        for (const label of op.content.labels) wanted.add(label);
    }
    if (wanted.size === 0) return;
    const present = new Set<string>();
    try {
      const labels = await this.octokit.paginate('GET /repos/{owner}/{repo}/labels', {
        ...this.target,
        per_page: 100,
      });
      for (const label of labels as { name: string }[]) present.add(label.name.toLowerCase());
      for (const name of wanted) {
        if (present.has(name.toLowerCase())) continue;
        try {
          await this.octokit.request('POST /repos/{owner}/{repo}/labels', {
            ...this.target,
            ...labelSpec(name),
          });
          this.counts.labelsCreated += 1;
        } catch (error) {
          // Made by someone else a moment ago: what we wanted exists.
          if ((error as { status?: number }).status !== 422) throw error;
        }
      }
    } catch (error) {
      throw githubFailure(error, null, 0, operations.length);
    }
  }
}

/** A GitHub failure as one typed error that says what was done and that the next sync continues. */
export function githubFailure(
  error: unknown,
  operation: MirrorOperation | null,
  done: number,
  total: number,
): Error {
  if (error instanceof GithubError) return error;
  const status = (error as { status?: number }).status;
  const message = (error as Error).message ?? String(error);
  if (status === undefined && !(error as { request?: unknown }).request) return error as Error;
  const what = operation ? `${operation.kind} of ${operation.key}` : 'reading of issues or labels';
  const hint =
    status === 401
      ? ' The token is not valid: check GITHUB_TOKEN (or GH_TOKEN).'
      : status === 403 || status === 404
        ? ' Check that the token may write issues of this repository and that the repository exists.'
        : '';
  return new GithubError(
    `GitHub answered ${status ?? 'nothing'} to the ${what} (${message.split('\n')[0]}).${hint} ${done} of ${total} changes were made and saved; \`sdd github sync\` continues from there.`,
    { status: status ?? null, done, total, operation: operation?.kind ?? null, key: operation?.key ?? null },
  );
}
