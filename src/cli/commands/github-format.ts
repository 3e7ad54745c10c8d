// How `sdd github` prints: the progress line on a terminal, the sync's summary, the status; and
// the spec documents an epic's issue links to.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionProgress } from '../../github/mirror-executor.js';
import type { SyncSummary } from '../../github/mirror-sync.js';

export function progressLine(p: ExecutionProgress): string {
  return `\r\x1b[Kgithub: ${p.done}/${p.total} changes (${p.operation.kind} ${p.operation.key})`;
}

export function formatSummary(s: SyncSummary): string {
  const lines: string[] = [];
  if (s.dryRun) {
    const kinds: Record<string, number> = {};
    for (const op of s.planned) kinds[op.kind] = (kinds[op.kind] ?? 0) + 1;
    const what = Object.entries(kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    lines.push(`Dry run for ${s.repo}: ${what || 'nothing to write'}; nothing was written.`);
  } else {
    const parts = [
      [s.created, 'created'],
      [s.updated, 'updated'],
      [s.linked, 'sub-issue links'],
      [s.unlinked, 'unlinked'],
      [s.dependenciesAdded, 'dependencies added'],
      [s.dependenciesRemoved, 'dependencies removed'],
      [s.closedDeleted, 'closed (deleted in sdd)'],
      [s.labelsCreated, 'labels created'],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, what]) => `${n} ${what}`);
    lines.push(
      `Synced ${s.issues} issues with ${s.repo}: ${parts.length > 0 ? parts.join(', ') : 'nothing to write'}.`,
    );
  }
  for (const p of s.pulled) {
    lines.push(`  ${p.conflict ? 'conflict' : 'from GitHub'} #${p.issue} → ${p.item}: ${p.notes.join(' ')}`);
  }
  if (s.pulled.some((p) => p.conflict)) lines.push(`  (${s.rule})`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

export function formatStatus(r: {
  repo: string | null;
  apiUrl: string;
  auto: boolean;
  server: string | null;
  issues: number;
  closedDeleted: number;
  lastSyncAt: string | null;
  pending: Record<string, number>;
  token: string | null;
}): string {
  if (!r.repo) return 'Not connected: `sdd github connect <owner/repo>` chooses the repository.';
  const pending = Object.entries(r.pending)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return [
    `repository: ${r.repo}${r.apiUrl.includes('api.github.com') ? '' : ` (${r.apiUrl})`}`,
    `issues: ${r.issues} mirrored${r.closedDeleted ? `, ${r.closedDeleted} closed after their items were deleted` : ''}`,
    `last sync: ${r.lastSyncAt ?? 'never'}`,
    `next sync would write: ${pending || 'nothing'} (changes made on GitHub are read then)`,
    r.server ? `automatic sync on ${r.server}: ${r.auto ? 'on' : 'off'}` : null,
    `token: ${r.token ? (r.token === 'server' ? "the server's" : `$${r.token}`) : 'none: set GITHUB_TOKEN or GH_TOKEN'}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** specs/<epic>/*.md and contracts/*, by epic folder: the documents an epic's issue links. */
export async function specDocuments(root: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  let epics: string[];
  try {
    epics = (await readdir(join(root, 'specs'), { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return found;
  }
  for (const epic of epics) {
    const paths: string[] = [];
    for (const entry of await readdir(join(root, 'specs', epic), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.md')) paths.push(`specs/${epic}/${entry.name}`);
      if (entry.isDirectory() && entry.name === 'contracts') {
        for (const c of await readdir(join(root, 'specs', epic, 'contracts')))
          paths.push(`specs/${epic}/contracts/${c}`);
      }
    }
    found.set(epic, paths.sort());
  }
  return found;
}
