// The server's side of the GitHub mirror: syncs a project with the server's own token (on request,
// or by itself a few seconds after the last change to a project whose mirror is set to `auto`),
// and takes webhook deliveries. The token is only ever in memory.

import { EmbeddedService } from '../core/embedded-service.js';
import { InvalidInputError } from '../core/errors.js';
import type { Service } from '../core/service.js';
import type { TeamStore } from '../core/team-store.js';
import type { SyncSummary } from '../github/mirror-sync.js';
import { repoWebUrl } from '../github/repo-name.js';
import { applyIssuesEvent, type IssuesEvent, type WebhookOutcome } from '../github/webhook.js';

export interface GithubServerOptions {
  /** The server's GitHub token (GITHUB_TOKEN or GH_TOKEN of its process). */
  token?: string | null;
  /** GITHUB_API_URL of its process: where its token goes (a project's own apiUrl is not used here). */
  apiUrl?: string | null;
  /** The webhook's shared secret; without one the webhook endpoint refuses every delivery. */
  webhookSecret?: string | null;
  /** How long after a project's last change its mirror syncs by itself. */
  debounceMs?: number;
  /** The first wait after a failed automatic sync; it doubles up to 5 minutes. */
  retryMs?: number;
  writeIntervalMs?: number;
  retryBaseMs?: number;
}

const MAX_RETRY_MS = 5 * 60_000;

interface Pending {
  timer: NodeJS.Timeout | null;
  running: Promise<unknown> | null;
  again: boolean;
  failures: number;
}

export class GithubMirrors {
  private readonly pending = new Map<string, Pending>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly team: TeamStore,
    private readonly options: GithubServerOptions,
    private readonly log: (line: string) => void,
  ) {}

  get hasToken(): boolean {
    return Boolean(this.options.token);
  }

  get webhookSecret(): string | null {
    return this.options.webhookSecret ?? null;
  }

  private service(projectId: string): Service {
    return new EmbeddedService(this.team.trackerStore(projectId));
  }

  /** One sync per project at a time: two at once would both create the same new issues. */
  sync(projectId: string, request: { epic?: string; dryRun?: boolean } = {}): Promise<SyncSummary> {
    return this.inTurn(projectId, () => this.runSync(projectId, request));
  }

  /** Syncs and webhook deliveries of one project run one after another: each sees the other's mapping. */
  private inTurn<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(projectId) ?? Promise.resolve();
    const run = previous.then(work);
    this.chains.set(
      projectId,
      run.catch(() => undefined),
    );
    return run;
  }

  private async runSync(
    projectId: string,
    request: { epic?: string; dryRun?: boolean },
  ): Promise<SyncSummary> {
    const token = this.options.token;
    if (!token) {
      throw new InvalidInputError(
        'This server has no GitHub token: start it with GITHUB_TOKEN (or GH_TOKEN) set, or run the sync in a clone with GITHUB_TOKEN set.',
      );
    }
    // Octokit loads with the first sync: a server that never mirrors never pays for it.
    const { githubClient } = await import('../github/github-client.js');
    const { syncMirror } = await import('../github/mirror-sync.js');
    const store = this.team.githubMirrorStore(projectId);
    const state = await store.read();
    // The server's own setting only, never the project's: a member who could name the API URL
    // could have the server send its token anywhere.
    const apiUrl = this.options.apiUrl ?? null;
    let firstDate: string | null = null;
    const octokit = githubClient({
      token,
      apiUrl,
      ...(this.options.writeIntervalMs !== undefined && { writeIntervalMs: this.options.writeIntervalMs }),
      ...(this.options.retryBaseMs !== undefined && { retryBaseMs: this.options.retryBaseMs }),
      log: (line) => this.log(`github ${projectId}: ${line}`),
      onResponseDate: (date) => {
        firstDate ??= date;
      },
    });
    return syncMirror({
      service: this.service(projectId),
      store,
      octokit,
      gather: {
        repoWebUrl: repoWebUrl(apiUrl, state.repo ?? ''),
        sessions: this.team.sessionStore(projectId),
      },
      ...(request.epic && { epic: request.epic }),
      ...(request.dryRun && { dryRun: true }),
      serverDate: () => firstDate,
    });
  }

  /** A change to the project: its mirror syncs once changes have stopped for debounceMs. */
  touch(projectId: string): void {
    if (this.closed || !this.options.token) return;
    const pending = this.pending.get(projectId) ?? { timer: null, running: null, again: false, failures: 0 };
    this.pending.set(projectId, pending);
    if (pending.running) {
      pending.again = true;
      return;
    }
    this.schedule(projectId, pending, this.options.debounceMs ?? 3000);
  }

  private schedule(projectId: string, pending: Pending, delay: number): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => {
      pending.timer = null;
      pending.running = this.autoSync(projectId, pending);
    }, delay);
    pending.timer.unref();
  }

  private async autoSync(projectId: string, pending: Pending): Promise<void> {
    try {
      const state = await this.team.githubMirrorStore(projectId).read();
      if (state.auto && state.repo) {
        const summary = await this.sync(projectId);
        const writes =
          summary.created +
          summary.updated +
          summary.linked +
          summary.unlinked +
          summary.dependenciesAdded +
          summary.dependenciesRemoved +
          summary.closedDeleted;
        this.log(
          `github ${projectId}: synced with ${state.repo} (${writes} changes, ${summary.pulled.length} back from GitHub)`,
        );
      }
      pending.failures = 0;
    } catch (error) {
      pending.failures += 1;
      const wait = Math.min((this.options.retryMs ?? 30_000) * 2 ** (pending.failures - 1), MAX_RETRY_MS);
      this.log(
        `github ${projectId}: sync failed (${(error as Error).message}); trying again in ${wait < 1000 ? `${wait} ms` : `${Math.round(wait / 1000)} s`}`,
      );
      pending.running = null;
      if (!this.closed) this.schedule(projectId, pending, wait);
      return;
    }
    pending.running = null;
    if (pending.again && !this.closed) {
      pending.again = false;
      this.schedule(projectId, pending, this.options.debounceMs ?? 3000);
    }
  }

  /** Applies an issues event to every project mirrored to that repository. */
  async webhook(payload: IssuesEvent): Promise<WebhookOutcome[]> {
    const repo = payload.repository.full_name.toLowerCase();
    const outcomes: WebhookOutcome[] = [];
    for (const project of await this.team.listProjects()) {
      const store = this.team.githubMirrorStore(project.id);
      const state = await store.read();
      if (state.repo?.toLowerCase() !== repo) continue;
      const outcome = await this.inTurn(project.id, () =>
        applyIssuesEvent(this.service(project.id), store, payload),
      );
      outcomes.push(outcome);
      // The status label and the like follow on the next sync.
      if (outcome.changed) this.touch(project.id);
    }
    return outcomes;
  }

  /** Waits for syncs under way; no new one starts. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
    await Promise.allSettled([...this.pending.values()].map((p) => p.running));
  }
}
