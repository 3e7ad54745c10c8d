// sdd mcp: what its tool list costs an agent's context (tokens, counted as characters / 4 of the
// tools/list answer), how soon it answers after the agent starts it, and how fast a `ready` call is
// on an embedded project of N tasks.
//
//   npm run build && node bench/mcp.mjs [--tasks 2000] [--quick]
//
// --quick uses 500 tasks and prints one line per aim, ending in ok or MISS (collected by `npm run bench:quick`).

import './node-start.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { EmbeddedService } from '../dist/src/core/embedded-service.js';
import { LowdbStore } from '../dist/src/store/lowdb-store.js';
import { aimLine } from './aim.mjs';

const SDD = new URL('../bin/sdd', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: { tasks: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const tasks = Number(args.tasks ?? (args.quick ? 500 : 2000));
const CALLS = args.quick ? 30 : 200;

const root = mkdtempSync(join(tmpdir(), 'sdd-bench-mcp-'));
try {
  spawnSync('git', ['init', '-q'], { cwd: root });
  spawnSync(process.execPath, [SDD, 'init'], { cwd: root });
  const service = new EmbeddedService(new LowdbStore(join(root, '.sdd', 'local', 'db.json'), 'sd'));
  // One import for all of them: the bench measures the server, not the set-up.
  await service.importTaskList(
    {
      epicKey: '001-bench',
      epicTitle: 'Bench',
      file: 'specs/001-bench/tasks.md',
      looseTasks: [],
      phases: [
        {
          key: 'setup',
          kind: 'setup',
          title: 'Setup',
          line: 1,
          priority: null,
          mvp: false,
          tasks: Array.from({ length: tasks }, (_, i) => ({
            ref: `T${String(i + 1).padStart(4, '0')}`,
            line: i + 2,
            checked: false,
            parallel: true,
            story: null,
            title: `Task ${i + 1}`,
            details: '',
            paths: [],
          })),
        },
      ],
    },
    'bench',
  );

  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [SDD, 'mcp'], cwd: root });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const firstAnswerMs = performance.now() - started;
  const tokens = Math.round(JSON.stringify(tools).length / 4);

  const times = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const result = await client.callTool({ name: 'ready', arguments: { limit: 10 } });
    times.push(performance.now() - t0);
    if (result.isError) throw new Error(`ready failed: ${result.content[0].text}`);
  }
  await client.close();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];

  console.log(aimLine('sdd mcp tools/list', `${tokens} tokens`, '< 1,500 tokens', tokens < 1500));
  console.log(
    aimLine(
      'sdd mcp start to tools/list',
      `${Math.round(firstAnswerMs)} ms`,
      '< 2,000 ms',
      firstAnswerMs < 2000,
    ),
  );
  console.log(
    aimLine(
      `sdd mcp ready call, ${tasks} tasks (median of ${CALLS})`,
      `${median.toFixed(1)} ms`,
      '< 50 ms',
      median < 50,
    ),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
