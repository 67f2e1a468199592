/**
 * --debug: what the run does and how long each step takes, on stderr. Lines
 * name the service, the operation, the HTTP status or error code and the time:
 * never a parameter, a header or a body, so no secret or key can be printed.
 */
import { printable } from "./printable.js";

let enabled = false;
const started = Date.now();

/** Turned on by --debug. */
export function enableDebug(): void {
  enabled = true;
}

/**
 * --debug, or CLOUDSMITH_LOG_EXPORT_DEBUG=1 (or true/yes). Never the generic DEBUG: CI jobs set it
 * for other tools (DEBUG=0, DEBUG=false, DEBUG='express:*'), and it must not switch this one on.
 */
export const debugEnabled = (): boolean =>
  enabled || /^(1|true|yes|on)$/i.test(process.env.CLOUDSMITH_LOG_EXPORT_DEBUG ?? "");

export function debug(line: string): void {
  if (!debugEnabled()) return;
  const t = ((Date.now() - started) / 1000).toFixed(3).padStart(8);
  process.stderr.write(`debug ${t}s ${printable(line, 500)}\n`);
}
