// Reads the first line of an agent's log, the one that says whose session it is, without reading the rest
// (Codex logs reach gigabytes).

import { open } from 'node:fs/promises';

/** The file's first line once it is whole; null while the agent is still writing it, or past `limit` bytes. */
export async function readFirstLine(path: string, limit: number): Promise<string | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const chunks: Buffer[] = [];
    let read = 0;
    while (read < limit) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) return null;
      const newline = chunk.subarray(0, bytesRead).indexOf(0x0a);
      chunks.push(chunk.subarray(0, newline >= 0 ? newline : bytesRead));
      if (newline >= 0) return Buffer.concat(chunks).toString('utf8');
      read += bytesRead;
    }
    return null;
  } finally {
    await handle.close();
  }
}
