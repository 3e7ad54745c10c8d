// sdd sync: uploads to the team server the sessions it does not hold whole yet (recorded while it
// was unreachable, or cut off by a crash of either side), from where the server stopped.

import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { action } from '../context.js';
import { pendingSessions, serverSessions, uploadOne } from '../session-sync.js';

export function registerSync(program: Command): void {
  program
    .command('sync')
    .description(
      "upload this clone's recorded sessions the team server does not hold whole yet (each from the byte it stopped at)",
    )
    .argument('[sessions...]', 'only these sessions (ids, or their first or last characters)')
    .action(
      action(async (ctx, ids: string[]) => {
        const project = await ctx.project();
        const target = await serverSessions(project);
        if (!target) {
          throw new InvalidInputError(
            'This project has no team server: sessions stay in .sdd/local/sessions/. `sdd remote set <url>` links one.',
          );
        }
        const local = await ctx.sessions();
        const wanted =
          ids.length > 0
            ? await Promise.all(ids.map((id) => local.get(id)))
            : await pendingSessions(project, target.server);
        const uploaded = [];
        const progress = process.stderr.isTTY && !ctx.json;
        for (const [n, record] of wanted.entries()) {
          const result = await uploadOne(
            project,
            target,
            record.id,
            progress
              ? (sent, total) => {
                  process.stderr.write(
                    `\r${n + 1}/${wanted.length} ${record.id}: ${mb(sent)} of ${mb(total)}`,
                  );
                }
              : undefined,
          );
          if (progress) process.stderr.write('\r\x1b[K');
          uploaded.push({
            id: record.id,
            bytes: result.bytes,
            files: result.files,
            diverged: result.diverged,
          });
        }
        ctx.print({ server: target.server, uploaded }, (r) => {
          if (r.uploaded.length === 0) return `Every session of this clone is on ${r.server} already.`;
          const bytes = r.uploaded.reduce((sum, u) => sum + u.bytes, 0);
          const lines = [`Uploaded ${r.uploaded.length} session(s) to ${r.server} (${mb(bytes)} sent):`];
          for (const u of r.uploaded) {
            lines.push(`  ${u.id}  ${mb(u.bytes)}`);
            for (const name of u.diverged)
              lines.push(`    warning: the server holds more of ${name} than this clone; left as it is`);
          }
          return lines.join('\n');
        });
      }),
    );
}

function mb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} KB`;
}
