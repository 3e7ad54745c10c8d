// The keys of `sdd replay`: reads them from a terminal in raw mode and gives that mode back afterwards.

export type PlayerKey = 'pause' | 'step' | 'next-marker' | 'quit';

/** What playCast needs of its input: process.stdin, or anything shaped like it in tests. */
export interface KeyInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume(): unknown;
  pause(): unknown;
}

const KEYS: Record<string, PlayerKey> = {
  ' ': 'pause',
  '.': 'step',
  ']': 'next-marker',
  q: 'quit',
  '\x03': 'quit', // Ctrl-C arrives as a byte in raw mode, not as SIGINT
};

/**
 * Calls `onKey` for each key pressed on a TTY input; returns the function that stops listening and restores
 * the terminal mode (call it on every way out). Input that is not a terminal is left alone.
 */
export function listenForKeys(input: KeyInput | undefined, onKey: (key: PlayerKey) => void): () => void {
  if (!input?.isTTY || typeof input.setRawMode !== 'function') return () => {};
  const wasRaw = input.isRaw === true;
  const onData = (data: Buffer | string) => {
    for (const char of data.toString()) {
      const key = KEYS[char];
      if (key) onKey(key);
    }
  };
  input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    input.setRawMode?.(wasRaw);
    input.pause();
  };
}
