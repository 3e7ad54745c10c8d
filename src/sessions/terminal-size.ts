// The size a terminal reports, where it reports one. Some report 0 by 0: `script` with its input
// piped, a container's terminal before its first resize. Such a side is taken from the fallback (sdd
// run's --cols and --rows) rather than refused: the program still gets a screen, the cast a header.

export interface TerminalSize {
  cols: number;
  rows: number;
}

export function reportedSize(
  stream: { columns?: number | undefined; rows?: number | undefined },
  fallback: TerminalSize,
): TerminalSize {
  const usable = (side: number | undefined): side is number => Number.isInteger(side) && side! > 0;
  return {
    cols: usable(stream.columns) ? stream.columns : fallback.cols,
    rows: usable(stream.rows) ? stream.rows : fallback.rows,
  };
}
