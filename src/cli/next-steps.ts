/** What to run after synth: shared by `synth` and `init` so the advice never diverges. */
import { DEFAULT_CONFIG_FILE } from "../config/constants.js";
import type { Config } from "../config/schema.js";
import { outputWidth, wrap } from "../util/wrap.js";

/** `source`: where the config came from (a path, "example" or "flags"), so verify reads the same one. */
export function nextSteps(cfg: Config, stackDir: string, source?: string): string[] {
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
      `  # No External ID yet: send Cloudsmith the request (cloudsmith-log-export request${config});`,
      "  # when the ID arrives, add it with `init`, or pass it to Terraform:",
      `  ${tf} apply -var cloudsmith_external_id=<the ID Cloudsmith sends>`,
      `  cloudsmith-log-export verify${config}`,
    );
  } else {
    lines.push(
      `  ${tf} plan -out tfplan && ${tf} apply tfplan`,
      `  cloudsmith-log-export verify${config}     # prove the deployment is right`,
      `  cloudsmith-log-export request${config}    # after apply: tell Cloudsmith the role to assume`,
    );
  }
  return fitToWidth(lines, outputWidth());
}

/**
 * Next steps that fit the terminal and still paste into a shell: comments wrap as comments, a long
 * command continues on the next line after a backslash.
 */
export function fitToWidth(lines: readonly string[], width: number): string[] {
  return lines.flatMap((line) => {
    if (line.length <= width) return [line];
    const indent = /^ */.exec(line)![0];
    if (line.trimStart().startsWith("#"))
      return wrap(line.trimStart().replace(/^#\s*/, ""), width, `${indent}# `, `${indent}# `);
    // Commands break at spaces only; " \\" ends each broken line.
    const out: string[] = [];
    let cur = "";
    for (const word of line.trimStart().split(" ")) {
      const lead = out.length === 0 ? indent : `${indent}    `;
      if (cur !== "" && lead.length + cur.length + 1 + word.length + 2 > width) {
        out.push(`${lead}${cur} \\`);
        cur = word;
      } else cur = cur === "" ? word : `${cur} ${word}`;
    }
    out.push(`${out.length === 0 ? indent : `${indent}    `}${cur}`);
    return out;
  });
}

/** A path as a shell reads it: quoted only when it has to be. */
const quote = (p: string): string => (/^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`);
