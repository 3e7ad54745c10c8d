// Puts the person's terminal in raw mode for a recorded program and back afterwards: the saved tty
// settings return, and modes the program left on (alternate screen, mouse reporting, application
// cursor keys and keypad, bracketed paste, hidden cursor...) are switched off. A watchdog process does
// the same if sdd itself is killed.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { BLIND_RESETS, ModeTracker } from './terminal-modes.js';

export class TerminalGuard {
  private savedSettings: string | null = null;
  private watchdog: ChildProcess | null = null;
  private readonly modes = new ModeTracker();

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  enter(): void {
    const saved = spawnSync('stty', ['-g'], { stdio: [this.stdin, 'pipe', 'ignore'], encoding: 'utf8' });
    this.savedSettings = saved.status === 0 ? saved.stdout.trim() : null;
    this.stdin.setRawMode(true);
    this.startWatchdog();
  }

  /** Follows which modes the program's output switched on, so only those are switched off. */
  observe(data: Buffer): void {
    this.modes.observe(data);
  }

  leave(): void {
    this.watchdog?.kill('SIGTERM');
    this.watchdog = null;
    const off = this.modes.resets();
    if (off) this.stdout.write(off);
    this.modes.clear();
    try {
      this.stdin.setRawMode(false);
    } catch {
      // the terminal may be gone already (a closed SSH connection)
    }
    if (this.savedSettings)
      spawnSync('stty', [this.savedSettings], { stdio: [this.stdin, 'ignore', 'ignore'] });
  }

  // `kill -9` gives sdd no chance to clean up, so a tiny shell waits for sdd to disappear and then
  // restores the terminal itself. It is stopped when sdd leaves normally.
  private startWatchdog(): void {
    if (!this.savedSettings) return;
    const script = `while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; stty "$2"; printf '%s' "$3"`;
    try {
      this.watchdog = spawn(
        'sh',
        ['-c', script, 'sdd-terminal-watchdog', String(process.pid), this.savedSettings, BLIND_RESETS],
        {
          stdio: [this.stdin, this.stdout, 'ignore'],
          detached: true,
        },
      );
      this.watchdog.on('error', () => undefined);
      this.watchdog.unref();
    } catch {
      this.watchdog = null;
    }
  }
}
