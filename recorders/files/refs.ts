// Where checkpoints live: private refs that no branch, tag or `git log --branches` ever shows.

export function sessionRef(sessionId: string): string {
  return `refs/sdd/sessions/${sessionId}`;
}

/** A ref of its own for a safety checkpoint taken outside any session (a restore). */
export function safetyRef(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('.', '');
  const suffix = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `refs/sdd/safety/${stamp}-${suffix}`;
}
