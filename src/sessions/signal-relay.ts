// Passes sdd's own SIGTERM, SIGHUP and SIGINT on to the session's program. A program that ignores it
// (an interactive shell ignores SIGTERM) gets SIGHUP 3 s later, as at a closed terminal, then SIGKILL,
// so sdd always ends.

const ESCALATION_MS = 3000;
const RELAYED = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

export class SignalRelay {
  private kill: ((signal?: string) => void) | null = null;
  private escalation: NodeJS.Timeout | null = null;
  private readonly handlers = RELAYED.map((signal) => [signal, () => this.relay(signal)] as const);

  constructor() {
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
  }

  /** The program to stop, once it runs. */
  attach(kill: (signal?: string) => void): void {
    this.kill = kill;
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
    if (this.escalation) clearTimeout(this.escalation);
    this.escalation = null;
  }

  private relay(signal: NodeJS.Signals): void {
    this.kill?.(signal);
    this.escalation ??= setTimeout(() => {
      this.kill?.('SIGHUP');
      this.escalation = setTimeout(() => this.kill?.('SIGKILL'), ESCALATION_MS);
      this.escalation.unref();
    }, ESCALATION_MS);
    this.escalation.unref();
  }
}
