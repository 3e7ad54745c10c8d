// Keeps a session's claim alive while its program runs: renewed every third of its lease, each renewal
// (or failure to renew) noted in the timeline. Releasing it is the caller's choice (done or released).

import type { Service } from '../core/service.js';

export interface ClaimLeaseOptions {
  service: Service;
  itemId: string;
  actor: string;
  ttlSeconds: number;
  log: (line: string) => void;
  /** Notes a renewal in the session's timeline. */
  note: (action: 'renewed' | 'failed', message?: string) => Promise<void>;
}

export function holdClaimLease(options: ClaimLeaseOptions): { stop(): void } {
  const { service, itemId, actor } = options;
  const renewal = setInterval(
    () => {
      service.claim(itemId, actor, { ttlSeconds: options.ttlSeconds }).then(
        () => options.note('renewed'),
        (error: Error) => {
          options.log(`sdd: could not renew the claim on ${itemId}: ${error.message}`);
          return options.note('failed', error.message);
        },
      );
    },
    Math.max(1000, (options.ttlSeconds * 1000) / 3),
  );
  return { stop: () => clearInterval(renewal) };
}
