/**
 * Terminal styling that honours NO_COLOR (https://no-color.org), FORCE_COLOR
 * and non-TTY output (CI logs, pipes).
 */
export function colourEnabled(
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type StyleName = keyof typeof codes;
export type Styler = Record<StyleName, (s: string) => string>;

export function styler(enabled: boolean): Styler {
  const make =
    ([open, close]: readonly [number, number]) =>
    (s: string) =>
      enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, make(v)])) as Styler;
}
