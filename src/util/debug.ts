/**
 * --debug: what the run does and how long each step takes, on stderr. Lines
 * name the service, the operation, the HTTP status or error code and the time:
 * never a parameter, a header or a body, so no secret or key can be printed.
 */
import { printable } from "./printable.js";

let enabled = false;
const started = Date.now();

/** Turned on by --debug (or DEBUG=1, the older spelling). */
export function enableDebug(): void {
  enabled = true;
}

export const debugEnabled = (): boolean => enabled || Boolean(process.env.DEBUG);

export function debug(line: string): void {
  if (!debugEnabled()) return;
  const t = ((Date.now() - started) / 1000).toFixed(3).padStart(8);
  process.stderr.write(`debug ${t}s ${printable(line, 500)}\n`);
}
