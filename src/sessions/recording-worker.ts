// The recording worker thread: decodes, redacts and writes the terminal's cast away from the thread
// that passes the program's bytes to the screen. Its own bundle entry (see "bundle" in package.json).
// It is started before its session knows where the cast goes (see recording-worker-start.ts), so the
// first message names the cast.

import { parentPort } from 'node:worker_threads';
import type { LiveSummary } from './live-publisher.js';
import { dataBuffers, type RecordingEvent, RedactedCast, type RedactedCastOptions } from './redacted-cast.js';

/** From the session to the worker: the cast to open, batches of events in order, then close. */
export type ToWorker =
  | { type: 'open'; options: RedactedCastOptions }
  | { type: 'events'; events: RecordingEvent[]; bytes: number }
  | { type: 'close' };

/** From the worker: bytes recorded (so the session can let the program go on), then the end. */
export type FromWorker =
  | { type: 'opened' }
  | { type: 'recorded'; bytes: number; buffers: ArrayBuffer[] }
  | { type: 'closed'; counts: Record<string, number>; live: LiveSummary | null }
  | { type: 'failed'; message: string };

const port = parentPort;
if (port) {
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    port.postMessage({ type: 'failed', message: (error as Error).message } satisfies FromWorker);
  };
  let cast: RedactedCast | null = null;
  // Messages wait for the one before: the cast must see events in order, and opening comes first.
  let chain: Promise<unknown> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    chain = chain.then(async () => {
      if (failed) return;
      if (message.type === 'open') {
        cast = await RedactedCast.open(message.options);
        port.postMessage({ type: 'opened' } satisfies FromWorker);
        return;
      }
      if (!cast) throw new Error('the recording worker was sent events before its cast was opened');
      if (message.type === 'events') {
        for (const event of message.events) cast.record(event);
        // The program is held back while the disk is behind, through the bytes not yet acknowledged.
        if (cast.isFull()) await cast.drained();
        // The cast holds text now, not these bytes: their buffers go back to be filled again.
        const buffers = dataBuffers(message.events);
        port.postMessage({ type: 'recorded', bytes: message.bytes, buffers } satisfies FromWorker, buffers);
      } else {
        const counts = await cast.close();
        port.postMessage({ type: 'closed', counts, live: cast.liveSummary } satisfies FromWorker);
      }
    }, fail);
    chain = chain.catch(fail);
  });
}
