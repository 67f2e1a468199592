/** What to run after synth: shared by `synth` and `init` so the advice never diverges. */
import { DEFAULT_CONFIG_FILE } from "../config/constants.js";
import type { Config } from "../config/schema.js";
import { outputWidth, wrap } from "../util/wrap.js";
import { invocation } from "./invocation.js";

/** `source`: where the config came from (a path, "example" or "flags"), so verify reads the same one. */
export function nextSteps(cfg: Config, stackDir: string, source?: string, run = invocation()): string[] {
  // From the project folder, followed literally: terraform runs in the stack with -chdir, and
  // verify and request read the config they were given (the default file needs no flag).
  const tf = `terraform -chdir=${quote(stackDir)}`;
  const config =
    source === "example"
      ? " --example"
      : source && source !== "flags" && source !== DEFAULT_CONFIG_FILE
        ? ` --config ${quote(source)}`
        : "";
  const lines = [`  ${tf} init`];
  if (cfg.externalId === undefined) {
    lines.push(
      `  # No External ID yet: send Cloudsmith the request (${run} request${config});`,
      "  # when the ID arrives, add it with `init`, or pass it to Terraform:",
      `  ${tf} apply -var cloudsmith_external_id='<the ID Cloudsmith sends>'`,
      `  ${run} verify${config}`,
    );
  } else {
    lines.push(
      `  ${tf} plan -out tfplan && ${tf} apply tfplan`,
      `  ${run} verify${config}     # prove the deployment is right`,
      `  ${run} request${config}    # after apply: tell Cloudsmith the role to assume`,
    );
  }
  return fitToWidth(lines, outputWidth());
}

/**
 * The words of a shell line: a quoted argument ('...' or "...") or a placeholder (<...>) is one
 * word, however many spaces it holds, so a line is never broken inside one.
 */
export function shellWords(line: string): string[] {
  return line.match(/(?:'[^']*'|"(?:[^"\\]|\\.)*"|<[^<>]*>|[^\s'"<]+|[<'"])+/g) ?? [];
}

/** A command and its trailing `# comment` (a # that starts a word outside quotes). */
function splitComment(line: string): { command: string; comment?: string } {
  const words = shellWords(line);
  const at = words.findIndex((w) => w.startsWith("#"));
  if (at <= 0) return { command: line };
  return { command: words.slice(0, at).join(" "), comment: words.slice(at).join(" ").replace(/^#\s*/, "") };
}

/**
 * Next steps that fit the terminal and still paste into a shell: comments wrap as comments (a
 * command's trailing comment moves above it), a long command continues on the next line after a
 * backslash, and no line breaks inside a quoted argument or a placeholder.
 */
export function fitToWidth(lines: readonly string[], width: number): string[] {
  return lines.flatMap((line) => {
    if (line.length <= width) return [line];
    const indent = /^ */.exec(line)![0];
    if (line.trimStart().startsWith("#"))
      return wrap(line.trimStart().replace(/^#\s*/, ""), width, `${indent}# `, `${indent}# `);
    const { command, comment } = splitComment(line.trimStart());
    const above = comment ? wrap(comment, width, `${indent}# `, `${indent}# `) : [];
    if (comment && indent.length + command.length <= width) return [...above, `${indent}${command}`];
    // Commands break between words only; " \\" ends each broken line.
    const out: string[] = [...above];
    const first = out.length;
    let cur = "";
    for (const word of shellWords(command)) {
      const lead = out.length === first ? indent : `${indent}    `;
      if (cur !== "" && lead.length + cur.length + 1 + word.length + 2 > width) {
        out.push(`${lead}${cur} \\`);
        cur = word;
      } else cur = cur === "" ? word : `${cur} ${word}`;
    }
    out.push(`${out.length === first ? indent : `${indent}    `}${cur}`);
    return out;
  });
}

/** A path as a shell reads it: quoted only when it has to be. */
const quote = (p: string): string => (/^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`);
