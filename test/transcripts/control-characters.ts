// The control characters in a text that a terminal would act on (all C0 but \n and \t, DEL, C1), for tests
// that check nothing from a log reaches the terminal raw.

export function controlCharacters(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && char !== '\n' && char !== '\t') || (code >= 0x7f && code <= 0x9f);
  });
}
