// The floor of any recorder built on node-pty: runs a command in a PTY and copies its output to
// stdout, nothing else. bench/passthrough.mjs times it beside `script` and `sdd run`.
//
//   node bench/pty-alone.mjs "<command>"

import { createRequire } from 'node:module';

const { spawn } = createRequire(import.meta.url)('node-pty');
const child = spawn('/bin/sh', ['-c', process.argv[2] ?? 'true'], {
  cols: 80,
  rows: 24,
  encoding: null,
});
child.onData((data) => process.stdout.write(data));
child.onExit(({ exitCode }) => setImmediate(() => process.exit(exitCode)));
