// bench/server-process.mjs as the benches start it: bundled by esbuild with the packages it loads into
// one file, as sdd's own bundle (dist/bundle/, what `sdd server` runs) is, and kept in bench/out/
// (bench/cache.mjs) until the code it bundles changes. The server's code is the same; a process
// loading it from one file listens in ~0.8 s instead of ~1.7 s (Node resolving and reading some
// thousand files of dist/src and node_modules), a start no bench measures.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cachedInput, codeHash } from './cache.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = join(root, 'bench', 'server-process.mjs');

// The same banner as `npm run bundle`'s: the CommonJS packages inside ask for require and __filename.
const BANNER =
  "import { createRequire as sddCreateRequire } from 'node:module'; " +
  "import { fileURLToPath as sddFileURLToPath } from 'node:url'; " +
  "import { dirname as sddDirname } from 'node:path'; " +
  'const require = sddCreateRequire(import.meta.url); ' +
  'const __filename = sddFileURLToPath(import.meta.url); ' +
  'const __dirname = sddDirname(__filename);';

const fileHash = (path) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);

/** The path of the bundled server process (made when this build has none yet). */
export async function serverProcessFile() {
  const key = {
    code: codeHash([source]),
    packages: fileHash(join(root, 'package-lock.json')),
    BANNER,
  };
  const { folder } = await cachedInput('server-process-bundle', key, (out) =>
    build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['node-pty'],
      banner: { js: BANNER },
      outfile: join(out, 'server-process.mjs'),
      logLevel: 'warning',
    }),
  );
  return join(folder, 'server-process.mjs');
}
