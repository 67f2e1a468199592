/**
 * Output that fits the terminal: the width of stdout when it is one, else 80 columns (a CI log, a
 * pipe, a file). Words wrap at spaces; a word longer than a line (an ARN, a URL) is cut.
 */

/** The width to fit: COLUMNS when set, else the terminal's, else 80 (not a terminal). */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout, env = process.env): number {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 40) return fromEnv;
  const cols = stream.isTTY ? stream.columns : undefined;
  return cols && cols >= 40 ? cols : 80;
}

const ANSI = /\u001b\[[0-9;]*m/g;
/** Columns a string takes on screen (escape sequences take none). */
export const visibleLength = (s: string): number => s.replace(ANSI, "").length;

/**
 * Wraps `text` so every line, `first` prefix included, fits `width`; continuation lines start
 * with `indent`. `first` may hold escape sequences (a coloured badge).
 */
export function wrap(text: string, width: number, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let room = width - visibleLength(first);
  const push = () => {
    lines.push(line.replace(/\s+$/, ""));
    line = indent;
    room = width - indent.length;
  };
  // Split on single spaces: a run of spaces inside a message (quoted data) is kept as it was.
  for (const word of text.split(" ")) {
    const needed = (line === first || line === indent ? 0 : 1) + word.length;
    if (needed <= room) {
      line += (line === first || line === indent ? "" : " ") + word;
      room -= needed;
      continue;
    }
    if (line !== first && line !== indent) push();
    // A word wider than a whole line: cut it, so no line is ever wider than the terminal.
    let rest = word;
    while (rest.length > room && room > 0) {
      line += rest.slice(0, room);
      rest = rest.slice(room);
      push();
    }
    line += rest;
    room -= rest.length;
  }
  if (line !== indent || lines.length === 0) lines.push(line.replace(/\s+$/, ""));
  return lines;
}
