// Starting the recording worker ahead of its recording. A worker's start (a V8 isolate, Node's
// bootstrap, the redactor's modules) takes some 100 ms; `sdd run` starts it first thing, so that it
// boots while the task is claimed and the session set up, instead of before the program may start.
// A small module of its own: the command loads it before the rest of the session's code.

import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

// The worker holds at most a few MB at a time (the batches in flight, the cast's write buffer); a small
// heap makes V8 collect early instead of growing it with the output: 35 MB less at 200 MB of output.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

export class RecordingWorker {
  private taken = false;
  private discarded = false;
  /** Why it stopped before a recording took it (its modules failed to load, say). */
  private failure: Error | null = null;
  private readonly onError = (error: Error) => {
    this.failure ??= error;
  };
  private readonly onExit = (code: number) => {
    this.failure ??= new Error(`the recording worker stopped (exit ${code})`);
  };

  private constructor(private readonly worker: Worker) {
    // Idle until a recording takes it: it must not keep sdd running (a failed claim ends sdd at once).
    worker.unref();
    // Until then its failure is kept here, to be thrown by take(), rather than lost or thrown unheard.
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  /** A started worker, or null where there is no worker file (tests run the sources in-thread). */
  static start(file: URL | null = workerFile()): RecordingWorker | null {
    return file ? new RecordingWorker(new Worker(file, { resourceLimits: WORKER_LIMITS })) : null;
  }

  /** Hands the worker to the recording that will use it; a worker serves one recording. */
  take(): Worker {
    if (this.taken) throw new Error('this recording worker already serves a recording');
    this.taken = true;
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    if (this.failure) throw this.failure;
    return this.worker;
  }

  /** Ends the worker if no recording took it (the session failed before its recording opened); once. */
  discard(): void {
    if (this.taken || this.discarded) return;
    this.discarded = true;
    void this.worker.terminate();
  }
}

/** The worker's entry beside this module: in the bundle (dist/bundle, chunks one folder down) or tsc's output. */
function workerFile(): URL | null {
  for (const candidate of ['./recording-worker.mjs', '../recording-worker.mjs', './recording-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return url;
  }
  return null;
}
