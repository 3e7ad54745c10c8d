// sdd artifact log / diff: the versions of an epic's spec documents, and what changed between two.
// Versions are v1, v2... in the order they were made (session checkpoints and commits alike), as
// `sdd epic show` and `sdd artifact log` list them; "current" is the file as it is now.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import { fetchCheckpoints, hasCommit } from '../../sessions/checkpoint-bundles.js';
import { fileAt } from '../artifact-git.js';
import type { CommandContext } from '../context.js';
import { action } from '../context.js';
import { type ArtifactVersion, type EpicHistory, epicHistory } from '../epic-history.js';
import { epicOfPhase } from '../epic-of.js';
import { versionLine } from './epic.js';

export function registerArtifact(program: Command): void {
  const artifact = program
    .command('artifact')
    .description("the versions of an epic's spec documents (spec.md, plan.md, research.md, ..., tasks.md)")
    .addHelpText(
      'after',
      `
Versions are named v1, v2... oldest first, per file. Each is one state of the file: a checkpoint of a
session (every save while sdd recorded one) or a commit on the branch (an edit made between
sessions, with its author from git); the same content twice in a row is one version. "current" is
the file as it is now. Examples:
  sdd artifact log 001-photo-albums spec.md
  sdd artifact diff 001-photo-albums spec.md v2 v3
  sdd artifact diff 001-photo-albums plan.md v1 current`,
    );
  artifact
    .command('log')
    .description(
      'the versions of every artifact of the epic, or of one: v1, v2... oldest first, with who and where',
    )
    .argument('<epic>', 'the epic: 001-photo-albums or its sdd id')
    .argument(
      '[file]',
      'one artifact: spec.md, contracts/api.yaml (in the epic folder) or its path from the project root',
    )
    .action(
      action(async (ctx, ref: string, file: string | undefined) => {
        const history = await historyOf(ctx, ref);
        const artifacts = file ? [artifactOf(history, file)] : history.artifacts;
        ctx.print(artifacts, (list) =>
          list.length === 0
            ? `No versions of ${history.specDir}/ yet.`
            : list
                .map((a) => [a.file, ...a.versions.map((v) => `  ${versionLine(v)}`)].join('\n'))
                .join('\n'),
        );
      }),
    );
  artifact
    .command('diff')
    .description('what changed in an artifact from one version to another (a unified diff)')
    .argument('<epic>', 'the epic: 001-photo-albums or its sdd id')
    .argument('<file>', 'the artifact: spec.md (in the epic folder) or its path from the project root')
    .argument(
      '<from>',
      'a version as `sdd artifact log` names it: v1, v2 (or 1, 2), "current" for the file now',
    )
    .argument('[to]', 'the version to compare with (default: the one after <from>, or "current")')
    .action(
      action(async (ctx, ref: string, file: string, from: string, to: string | undefined) => {
        const project = await ctx.project();
        const history = await historyOf(ctx, ref);
        const artifact = artifactOf(history, file);
        const older = versionOf(artifact, from);
        const newer = to ? versionOf(artifact, to) : (nextOf(artifact, older) ?? 'current');
        const store = await ctx.sessions();
        const before = await contentOf(project.root, store, artifact.file, older);
        const after = await contentOf(project.root, store, artifact.file, newer);
        const diff = await unifiedDiff(
          before,
          after,
          `${artifact.file} ${labelOf(older)}`,
          `${artifact.file} ${labelOf(newer)}`,
        );
        ctx.print({ file: artifact.file, from: labelOf(older), to: labelOf(newer), diff }, (d) =>
          d.diff === '' ? `${d.file}: ${d.from} and ${d.to} are the same.` : d.diff,
        );
      }),
    );
}

async function historyOf(ctx: CommandContext, ref: string): Promise<EpicHistory> {
  const project = await ctx.project();
  const service = await ctx.service();
  const epic = await epicOfPhase(service, project.root, ref);
  return epicHistory(project.root, service, await ctx.sessions(), epic);
}

function artifactOf(history: EpicHistory, file: string): EpicHistory['artifacts'][number] {
  const wanted = file.replace(/^\.\//, '');
  const found =
    history.artifacts.find((a) => a.file === wanted) ??
    history.artifacts.find((a) => a.file === `${history.specDir}/${wanted}`);
  if (found) return found;
  const known =
    history.artifacts.map((a) => a.file.slice(history.specDir.length + 1)).join(', ') || 'none yet';
  throw new NotFoundError(`${history.specDir} has no versions of "${file}"; its artifacts: ${known}.`);
}

type Version = ArtifactVersion | 'current';

function versionOf(artifact: EpicHistory['artifacts'][number], name: string): Version {
  if (name === 'current' || name === 'now') return 'current';
  const match = /^v?(\d+)$/i.exec(name.trim());
  const found = match ? artifact.versions[Number(match[1]) - 1] : undefined;
  if (!found) {
    const last = artifact.versions.length;
    throw new InvalidInputError(
      `${artifact.file} has versions v1 to v${last} (\`sdd artifact log\` lists them) and "current"; got "${name}".`,
    );
  }
  return found;
}

function nextOf(artifact: EpicHistory['artifacts'][number], version: Version): Version | null {
  if (version === 'current') return null;
  return artifact.versions[artifact.versions.indexOf(version) + 1] ?? null;
}

function labelOf(version: Version): string {
  return version === 'current' ? 'current' : version.version;
}

async function contentOf(
  root: string,
  store: Awaited<ReturnType<CommandContext['sessions']>>,
  file: string,
  version: Version,
): Promise<string> {
  if (version === 'current') return existsSync(join(root, file)) ? readFile(join(root, file), 'utf8') : '';
  if (version.change === 'deleted') return '';
  if (!hasCommit(root, version.commit) && version.sessionId) {
    // A teammate's checkpoint: from the server's bundles (a clear error says what is missing).
    await fetchCheckpoints(root, store, await store.get(version.sessionId), version.checkpoint ?? 0);
  }
  const text = fileAt(root, version.commit, file);
  if (text === null) {
    throw new NotFoundError(
      `${version.version} of ${file} is in commit ${version.commit.slice(0, 10)}, which this clone does not have: \`git fetch\` first.`,
    );
  }
  return text;
}

async function unifiedDiff(
  before: string,
  after: string,
  fromLabel: string,
  toLabel: string,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sdd-artifact-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(a, before);
    await writeFile(b, after);
    const result = spawnSync('git', ['diff', '--no-index', '--no-color', '--no-prefix', a, b], {
      encoding: 'utf8',
    });
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`git diff failed: ${result.stderr.trim()}`);
    // The temporary files' names give way to the versions' in the header (the first ---/+++ lines).
    const lines = result.stdout.split('\n');
    const body = lines.findIndex((l) => l.startsWith('@@'));
    if (body === -1) return '';
    return [`--- ${fromLabel}`, `+++ ${toLabel}`, ...lines.slice(body)].join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
