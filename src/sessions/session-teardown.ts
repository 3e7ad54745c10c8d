// The end of a session, step by step: each step runs whatever failed before it, so one failure (a
// final checkpoint that cannot be written) never leaves the cast open or the session "running".

export interface TeardownFailure {
  step: string;
  message: string;
}

export class Teardown {
  readonly failures: TeardownFailure[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** Runs one step; a failure is logged and kept, and the next step runs all the same. */
  async step(name: string, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.push({ step: name, message });
      this.log(`sdd: ${name} failed: ${message}`);
    }
  }

  /** Runs steps that do not depend on each other side by side; each is one step() as above. */
  async together(steps: readonly (readonly [name: string, run: () => unknown])[]): Promise<void> {
    await Promise.all(steps.map(([name, run]) => this.step(name, run)));
  }

  /** One line for the session's status event, or undefined when every step went well. */
  note(): string | undefined {
    if (this.failures.length === 0) return undefined;
    return this.failures.map((f) => `${f.step} failed: ${f.message}`).join('; ');
  }
}
