// sdd sessions search WORDS...: the sessions whose transcript, terminal, markers or notes hold the
// words, each hit with the moment to replay. Embedded, the spool answers; with a team server, the
// server answers for the team and the spool for what this clone holds.

import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import type { SessionSearchHit, SessionSearchResult } from '../../core/session-search.js';
import { terminalSafe } from '../../core/terminal-text.js';
import { LocalSessionStore } from '../../sessions/local-session-store.js';
import { PersistentTextCache, searchCacheFolder } from '../../sessions/session-search-cache.js';
import {
  type SearchItems,
  type SessionSearch,
  StoredSessionSearch,
} from '../../sessions/session-search-index.js';
import { action, type CommandContext } from '../context.js';
import { localTime } from '../format.js';

/** The first search a server answers reads every session it holds (later ones read its cache): give it time. */
const SERVER_SEARCH_TIMEOUT_MS = 120_000;

interface SearchOptions {
  limit?: string;
  item?: string;
}

export function registerSessionSearch(program: Command): void {
  const sessions = program.commands.find((c) => c.name() === 'sessions') ?? program.command('sessions');
  sessions
    .command('search')
    .description(
      'find sessions by what was said or shown: transcripts, terminal text, markers and notes; every word must match (any case) in one line or message, or neighbouring ones; "quote" a phrase. Best hits first, then the newest; each with `sdd replay <id> --at <seconds>` to see the moment. With a team server, the whole team\'s sessions.',
    )
    .argument('<words...>', 'what to find: words, or "a phrase" in quotes')
    .option('-n, --limit <n>', 'at most this many hits (1 to 500)', '20')
    .option('--item <ref>', 'only the sessions of this task (or other item); -t/--task works too')
    .addHelpText(
      'after',
      '\nExamples:\n  sdd sessions search rate limit\n  sdd sessions search "connection refused" --item T012\n  sdd sessions search migration --json',
    )
    .action(
      action(async (ctx, words: string[], options: SearchOptions) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
          throw new InvalidInputError(`--limit is a whole number from 1 to 500; got "${options.limit}".`);
        }
        // `sdd sessions`' own --task comes along (commander gives it to the parent): the same as --item
        const inherited = ctx.options as { task?: string; commit?: string };
        if (inherited.commit !== undefined) {
          throw new InvalidInputError('--commit is for `sdd sessions --commit SHA`, not for a search.');
        }
        const item = options.item ?? inherited.task;
        const itemId = item ? (await (await ctx.service()).getItem(item)).item.id : undefined;
        // A word given with spaces in it (quoted in the shell) is a phrase.
        const q = words.map((w) => (/\s/.test(w) && !w.includes('"') ? `"${w}"` : w)).join(' ');
        const search = await searchOf(ctx);
        const result = await search.search({ q, limit, ...(itemId !== undefined && { itemId }) });
        ctx.print(result, formatResult);
      }),
    );
}

async function searchOf(ctx: CommandContext): Promise<SessionSearch> {
  const project = await ctx.project();
  const localStore = new LocalSessionStore(project.root);
  // The item notes come from the tracker; a tracker out of reach leaves them out, not the search.
  const items: SearchItems = async () => {
    try {
      return await (await ctx.service()).listItems();
    } catch {
      return [];
    }
  };
  const local = new StoredSessionSearch(
    localStore,
    items,
    new PersistentTextCache(searchCacheFolder(project.root)),
  );
  const { server, projectId } = project.config;
  if (!server) return local;
  const { tokenFor } = await import('../credentials.js');
  const token = await tokenFor(server);
  if (!token) return local; // as `sdd sessions`: no token, this clone's own
  const { RemoteSessionSearch } = await import('../../client/remote-session-search.js');
  const { TeamSessionSearch } = await import('../../sessions/team-session-search.js');
  const warn = (message: string) => process.stderr.write(`${terminalSafe(message)}\n`);
  return new TeamSessionSearch(
    local,
    localStore,
    new RemoteSessionSearch({ url: server, projectId, token, timeoutMs: SERVER_SEARCH_TIMEOUT_MS }),
    warn,
  );
}

function formatResult(result: SessionSearchResult): string {
  if (result.hits.length === 0) {
    return `No session holds ${result.terms.map((t) => `"${t}"`).join(' and ')} (${result.sessions} searched).`;
  }
  const lines: string[] = [];
  // Grouped by session, in the order of each session's best hit.
  const bySession = new Map<string, SessionSearchHit[]>();
  for (const hit of result.hits) {
    const list = bySession.get(hit.sessionId) ?? [];
    list.push(hit);
    bySession.set(hit.sessionId, list);
  }
  for (const [id, hits] of bySession) {
    const first = hits[0]!;
    const item = first.itemRef ?? first.itemId;
    const title = first.itemTitle ? ` ${first.itemTitle}` : '';
    lines.push(`${id}  ${item}${title}  ${first.actor}  ${first.agent}  ${localTime(first.startedAt)}`);
    for (const hit of hits) {
      const where = hit.kind && hit.kind !== hit.source ? `${hit.source} (${hit.kind})` : hit.source;
      const at = hit.time === null ? '' : ` at ${clock(hit.time)}`;
      lines.push(`  ${where}${at}: ${hit.snippet}`, `    ${hit.replay}`);
    }
  }
  const more = result.more > 0 ? `, ${result.more} more (--limit)` : '';
  lines.push(
    `(${result.hits.length} hit(s) in ${bySession.size} session(s) of ${result.sessions} searched${more})`,
  );
  return lines.join('\n');
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
