// Puts the person's terminal in raw mode for a recorded program and back afterwards: the saved tty
// settings return, and modes the program left on (alternate screen, mouse reporting, bracketed paste,
// hidden cursor) are switched off. A watchdog process does the same if sdd itself is killed.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

const MODES: { on: string; off: string }[] = [
  { on: '\x1b[?1049h', off: '\x1b[?1049l' }, // alternate screen
  { on: '\x1b[?1000h', off: '\x1b[?1000l' }, // mouse reporting
  { on: '\x1b[?1002h', off: '\x1b[?1002l' },
  { on: '\x1b[?1003h', off: '\x1b[?1003l' },
  { on: '\x1b[?1006h', off: '\x1b[?1006l' },
  { on: '\x1b[?2004h', off: '\x1b[?2004l' }, // bracketed paste
  { on: '\x1b[?25l', off: '\x1b[?25h' }, // cursor hidden -> shown
];
const ALL_OFF = MODES.map((m) => m.off).join('');

export class TerminalGuard {
  private savedSettings: string | null = null;
  private watchdog: ChildProcess | null = null;
  private readonly modesOn = new Set<number>();
  private tail = '';

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
    const text = this.tail + data.toString('latin1');
    MODES.forEach((mode, i) => {
      const on = text.lastIndexOf(mode.on);
      const off = text.lastIndexOf(mode.off);
      if (on > off) this.modesOn.add(i);
      else if (off > on) this.modesOn.delete(i);
    });
    this.tail = text.slice(-16); // a sequence split across two chunks is still seen
  }

  leave(): void {
    this.watchdog?.kill('SIGTERM');
    this.watchdog = null;
    const off = [...this.modesOn].map((i) => MODES[i]!.off).join('');
    if (off) this.stdout.write(off);
    this.modesOn.clear();
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
        ['-c', script, 'sdd-terminal-watchdog', String(process.pid), this.savedSettings, ALL_OFF],
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
