// sdd github connect|sync|status: the epic -> feature -> task tree mirrored to GitHub Issues with
// sub-issues and dependencies. The target goes in .sdd/config.json; the token never goes anywhere
// but into the requests (GITHUB_TOKEN / GH_TOKEN here, or the team server's own).

import type { Command } from 'commander';
import type { RemoteGithubMirror } from '../../client/remote-github-mirror.js';
import { InvalidInputError, UnauthenticatedError } from '../../core/errors.js';
import type { GithubMirrorStore } from '../../core/github-mirror.js';
import type { SyncSummary } from '../../github/mirror-sync.js';
import { GITHUB_API_URL, parseRepo, repoWebUrl } from '../../github/repo-name.js';
import { action, type CommandContext } from '../context.js';
import { githubPace, githubToken } from '../github-env.js';
import type { Project } from '../project.js';
import { saveConfig } from '../project.js';
import { formatStatus, formatSummary, progressLine, specDocuments } from './github-format.js';

/** Where the mapping lives: .sdd/local/ in an embedded project, the team server in a linked one. */
interface MirrorHome {
  store: GithubMirrorStore;
  /** The server's side of it, in a linked clone. */
  remote: RemoteGithubMirror | null;
  /** The file, in an embedded project. */
  path: string | null;
}

async function mirrorHome(project: Project): Promise<MirrorHome> {
  const { server, projectId } = project.config;
  if (!server) {
    const { join } = await import('node:path');
    const { GithubMirrorFile } = await import('../../store/github-mirror-file.js');
    const path = join(project.root, '.sdd', 'local', 'github-mirror.json');
    return { store: new GithubMirrorFile(path), remote: null, path };
  }
  const { tokenFor } = await import('../credentials.js');
  const token = await tokenFor(server);
  if (!token) {
    throw new UnauthenticatedError(`No token for ${server} is kept here: run \`sdd login ${server}\` first.`);
  }
  const { RemoteGithubMirror } = await import('../../client/remote-github-mirror.js');
  const remote = new RemoteGithubMirror({ url: server, projectId, token });
  return { store: remote, remote, path: null };
}

function apiUrlOf(project: Project): string | null {
  return process.env.GITHUB_API_URL?.trim() || project.config.github?.apiUrl || null;
}

export function registerGithub(program: Command): void {
  const github = program
    .command('github')
    .description('mirror the epic → feature → task tree to GitHub Issues: `connect`, `sync`, `status`');

  github
    .command('connect')
    .description('choose the repository the tree is mirrored to (kept in .sdd/config.json; commit it)')
    .argument('<owner/repo>', 'the GitHub repository, e.g. octo-org/app')
    .option(
      '--api-url <url>',
      'GitHub Enterprise Server API, e.g. https://ghe.example.com/api/v3 (default: $GITHUB_API_URL, else api.github.com)',
    )
    .option('--auto', 'with a team server: the server syncs by itself a few seconds after each change')
    .option('--no-auto', 'with a team server: syncs only when someone runs `sdd github sync`')
    .addHelpText(
      'after',
      '\nThe token is never stored: set GITHUB_TOKEN (or GH_TOKEN) when you sync, or start the team server with one.\nConnecting to another repository starts a new mirror there; issues in the old one stay as they are.',
    )
    .action(
      action(async (ctx, repo: string, options: { apiUrl?: string; auto?: boolean }) => {
        const target = parseRepo(repo);
        const full = `${target.owner}/${target.repo}`;
        const project = await ctx.project();
        const apiUrl = options.apiUrl?.trim() || process.env.GITHUB_API_URL?.trim() || null;
        if (apiUrl && !/^https?:\/\//.test(apiUrl))
          throw new InvalidInputError(`--api-url "${apiUrl}" is not an http(s) URL.`);
        const { store } = await mirrorHome(project);
        const before = await store.read();
        const moved = before.repo !== null && before.repo.toLowerCase() !== full.toLowerCase();
        const auto = options.auto ?? (project.config.server ? before.auto : false);
        const state = await store.write({
          ...(moved && { reset: true }),
          settings: { repo: full, apiUrl: apiUrl === GITHUB_API_URL ? null : apiUrl, auto },
        });
        await saveConfig(project.root, { ...project.config, github: { repo: full, apiUrl: state.apiUrl } });
        const token = githubToken(process.env);
        ctx.print(
          {
            repo: full,
            apiUrl: state.apiUrl ?? GITHUB_API_URL,
            auto: state.auto,
            server: project.config.server,
            movedFrom: moved ? before.repo : null,
            token: token?.from ?? null,
          },
          (r) =>
            [
              `Connected to ${r.repo}${r.apiUrl !== GITHUB_API_URL ? ` on ${r.apiUrl}` : ''}; the target is in .sdd/config.json (commit it).`,
              r.movedFrom ? `  The mirror of ${r.movedFrom} is left as it is; ${r.repo} starts fresh.` : null,
              r.server
                ? `  ${r.auto ? 'The server syncs by itself after each change.' : 'Run `sdd github sync` to sync (or connect again with --auto).'}`
                : null,
              r.token
                ? `  Token: $${r.token}.`
                : r.server
                  ? null
                  : '  Set GITHUB_TOKEN (or GH_TOKEN) before `sdd github sync`.',
            ]
              .filter(Boolean)
              .join('\n'),
        );
      }),
    );

  github
    .command('sync')
    .description(
      'bring the GitHub issues up to date with the tree, and take back closes, reopens and new titles made there',
    )
    .option('--epic <ref>', 'only this epic and what is below it')
    .option('--dry-run', 'say what would be written, write nothing')
    .addHelpText(
      'after',
      [
        '',
        'Epic → issue; feature → sub-issue of its epic; task → sub-issue of its feature; `blocks` → issue dependencies.',
        'Labels type:*, status:*, priority:P*; done closes as completed, cancelled as not planned.',
        'A second sync with nothing changed writes nothing; an interrupted one continues where it stopped.',
        'Conflicts (both sides changed): sdd keeps its title; the later open/closed change wins; the item gets a note.',
        'With a team server that has a GitHub token, the sync runs there; otherwise here with GITHUB_TOKEN / GH_TOKEN.',
      ].join('\n'),
    )
    .action(
      action(async (ctx, options: { epic?: string; dryRun?: boolean }) => {
        const project = await ctx.project();
        const home = await mirrorHome(project);
        const local = githubToken(process.env);
        let summary: SyncSummary;
        if (home.remote && (await home.remote.readWithServer()).serverToken) {
          summary = await home.remote.syncOnServer({
            ...(options.epic && { epic: options.epic }),
            ...(options.dryRun && { dryRun: true }),
          });
        } else {
          if (!local) {
            throw new UnauthenticatedError(
              project.config.server
                ? `Neither GITHUB_TOKEN nor GH_TOKEN is set, and ${project.config.server} has no GitHub token: set one here, or start the server with it.`
                : 'Neither GITHUB_TOKEN nor GH_TOKEN is set: the sync needs a token that may write issues (`gh auth token` prints yours).',
            );
          }
          const run = () => syncHere(ctx, project, home.store, local.token, options);
          if (home.path) {
            const { withSyncLock } = await import('../github-sync-lock.js');
            summary = await withSyncLock(home.path, run);
          } else summary = await run();
        }
        ctx.print(summary, formatSummary);
      }),
    );

  github
    .command('status')
    .description(
      'the connected repository, the issues mirrored, the last sync, and what the next sync would write',
    )
    .action(
      action(async (ctx) => {
        const project = await ctx.project();
        const home = await mirrorHome(project);
        const withServer = home.remote ? await home.remote.readWithServer() : null;
        const state = withServer ?? (await home.store.read());
        const repo = state.repo ?? project.config.github?.repo ?? null;
        const apiUrl = apiUrlOf(project) ?? state.apiUrl;
        let pending: Record<string, number> = {};
        if (repo) {
          const { gatherMirrorInput } = await import('../../github/mirror-input.js');
          const { planMirror } = await import('../../github/mirror-planner.js');
          const input = await gatherMirrorInput(await ctx.service(), {
            repoWebUrl: repoWebUrl(apiUrl, repo),
            sessions: await ctx.sessions(),
            specDocuments: await specDocuments(project.root),
            ...replayLinks(project),
          });
          const plan = planMirror(input, state);
          pending = {};
          for (const op of plan.operations) pending[op.kind] = (pending[op.kind] ?? 0) + 1;
        }
        const token = githubToken(process.env);
        const serverToken = withServer?.serverToken ?? false;
        ctx.print(
          {
            repo,
            apiUrl: apiUrl ?? GITHUB_API_URL,
            auto: state.auto,
            server: project.config.server,
            issues: state.entries.filter((e) => !e.orphaned).length,
            closedDeleted: state.entries.filter((e) => e.orphaned).length,
            lastSyncAt: state.lastSyncAt,
            pending,
            token: token ? token.from : serverToken ? 'server' : null,
          },
          formatStatus,
        );
      }),
    );
}

function replayLinks(project: Project): { replayUrl?: (id: string) => string } {
  const { server, projectId } = project.config;
  if (!server) return {};
  return {
    replayUrl: (id) =>
      `${server}/api/v1/projects/${encodeURIComponent(projectId)}/sessions/${encodeURIComponent(id)}/files/terminal.cast`,
  };
}

async function syncHere(
  ctx: CommandContext,
  project: Project,
  store: GithubMirrorStore,
  token: string,
  options: { epic?: string; dryRun?: boolean },
): Promise<SyncSummary> {
  const state = await store.read();
  if (!state.repo && project.config.github?.repo) {
    // A clone of a connected project: the target came with .sdd/config.json, the mapping starts here.
    await store.write({
      settings: { repo: project.config.github.repo, apiUrl: project.config.github.apiUrl },
    });
  }
  const apiUrl = apiUrlOf(project) ?? state.apiUrl;
  // Octokit and its plugins load only for a sync: every other command starts without them.
  const { githubClient } = await import('../../github/github-client.js');
  const { syncMirror } = await import('../../github/mirror-sync.js');
  const showProgress = !ctx.json && process.stderr.isTTY === true;
  let firstDate: string | null = null;
  const octokit = githubClient({
    token,
    apiUrl,
    ...githubPace(process.env),
    log: (line) => {
      if (!ctx.json) process.stderr.write(`${showProgress ? '\r\x1b[K' : ''}sdd: ${line}\n`);
    },
    onResponseDate: (date) => {
      firstDate ??= date;
    },
  });
  try {
    return await syncMirror({
      service: await ctx.service(),
      store,
      octokit,
      gather: {
        repoWebUrl: repoWebUrl(apiUrl, state.repo ?? project.config.github?.repo ?? ''),
        sessions: await ctx.sessions(),
        specDocuments: await specDocuments(project.root),
        ...replayLinks(project),
      },
      ...(options.epic && { epic: options.epic }),
      ...(options.dryRun && { dryRun: true }),
      actor: ctx.actor(),
      serverDate: () => firstDate,
      ...(showProgress && { onProgress: (p) => process.stderr.write(progressLine(p)) }),
    });
  } finally {
    if (showProgress) process.stderr.write('\r\x1b[K');
  }
}
