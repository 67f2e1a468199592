/**
 * How to run this tool again from where it was started, for the commands it prints: the bare
 * `cloudsmith-log-export` only when it is installed globally (on PATH); through npx, from a local
 * install or from a clone, `npx cloudsmith-log-export`, which works in all three.
 */
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";

export const COMMAND = "cloudsmith-log-export";

export function invocation(env: NodeJS.ProcessEnv = process.env, script = process.argv[1] ?? ""): string {
  // npm exec / npx set npm_command=exec in the child's environment.
  if (env.npm_command === "exec") return `npx ${COMMAND}`;
  let path = script;
  try {
    path = realpathSync(script);
  } catch {
    // Not a file (a test harness): judged by the name as given.
  }
  const marker = `${sep}node_modules${sep}${COMMAND}${sep}`;
  const at = path.lastIndexOf(marker);
  if (at < 0) return `npx ${COMMAND}`; // a clone: bin/ of the repository itself
  // <prefix>/lib/node_modules/<pkg> (npm -g on Unix) or <prefix>/node_modules/<pkg> (Windows),
  // with the command beside it in <prefix>/bin or <prefix>.
  const modules = path.slice(0, at);
  const prefix = basename(modules) === "lib" ? dirname(modules) : modules;
  const global =
    existsSync(join(prefix, "bin", COMMAND)) ||
    existsSync(join(prefix, `${COMMAND}.cmd`)) ||
    env.npm_config_global === "true";
  return global ? COMMAND : `npx ${COMMAND}`;
}
