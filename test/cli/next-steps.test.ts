/**
 * What init and synth print to run next: it fits the terminal and still pastes into a shell (no
 * break inside a placeholder or a quoted argument; a trailing comment never continues a command),
 * names the command the way it works where the tool was started, and a written config points its
 * `$schema` somewhere that resolves.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { invocation } from "../../src/cli/invocation.js";
import { fitToWidth, shellWords } from "../../src/cli/next-steps.js";
import { renderConfig } from "../../src/init/write-config.js";
import { packageVersion } from "../../src/util/package-root.js";

const run = promisify(execFile);

describe("printed commands", () => {
  it("never break inside a placeholder or a quoted argument, at any width", async () => {
    const line = `  terraform -chdir='my stacks/cle' apply -var cloudsmith_external_id='<the ID Cloudsmith sends>' -var "note=a b c"`;
    expect(shellWords(line.trim())).toEqual([
      "terraform",
      "-chdir='my stacks/cle'",
      "apply",
      "-var",
      "cloudsmith_external_id='<the ID Cloudsmith sends>'",
      "-var",
      '"note=a b c"',
    ]);
    for (let width = 40; width <= 120; width++) {
      const out = fitToWidth([line], width);
      // bash itself reads the broken lines back as the same words.
      const script = `printf '%s\\n' ${out.join("\n")}`;
      const { stdout } = await run("bash", ["-c", script]);
      expect(stdout.trim().split("\n"), `width ${width}`).toEqual([
        "terraform",
        "-chdir=my stacks/cle",
        "apply",
        "-var",
        "cloudsmith_external_id=<the ID Cloudsmith sends>",
        "-var",
        "note=a b c",
      ]);
    }
  });

  it("a trailing comment moves above its command instead of continuing it", () => {
    const out = fitToWidth(
      ["  npx cloudsmith-log-export verify --config cfg/prod.json     # prove the deployment is right"],
      60,
    );
    expect(out).toEqual([
      "  # prove the deployment is right",
      "  npx cloudsmith-log-export verify --config cfg/prod.json",
    ]);
    // No line continues (a backslash) into a comment, and no comment line ends with one.
    for (const l of fitToWidth(
      ["  a-very-long-command --with --many --flags --here --and --more # a note about it"],
      30,
    ))
      expect(/^\s*#.*\\$/.test(l)).toBe(false);
  });
});

describe("the command as it works where the tool was started", () => {
  it("npx when run through npx, from a clone or a project's node_modules; the bare name when installed globally", async () => {
    expect(invocation({ npm_command: "exec" }, "/usr/lib/node_modules/cloudsmith-log-export/bin/x.js")).toBe(
      "npx cloudsmith-log-export",
    );
    expect(invocation({}, "/home/me/src/cloudsmith-log-export/bin/cloudsmith-log-export.js")).toBe(
      "npx cloudsmith-log-export",
    );
    expect(invocation({}, "/home/me/app/node_modules/cloudsmith-log-export/bin/cloudsmith-log-export.js")).toBe(
      "npx cloudsmith-log-export",
    );
    // A global install: <prefix>/lib/node_modules/<pkg>, with the command in <prefix>/bin.
    const prefix = await mkdtemp(join(tmpdir(), "cle-prefix-"));
    const pkg = join(prefix, "lib", "node_modules", "cloudsmith-log-export", "bin");
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, "cloudsmith-log-export.js"), "");
    await mkdir(join(prefix, "bin"));
    await symlink(join(pkg, "cloudsmith-log-export.js"), join(prefix, "bin", "cloudsmith-log-export"));
    expect(invocation({}, join(prefix, "bin", "cloudsmith-log-export"))).toBe("cloudsmith-log-export");
  });
});

describe("$schema in a written config", () => {
  it("a relative path inside the project; outside it, this version's published schema, never a local absolute path", async () => {
    const inRepo = JSON.parse(
      renderConfig({ accountId: "123456789012" }, join(process.cwd(), "cloudsmith-log-export.json")),
    );
    expect(inRepo.$schema).toBe("schema/cloudsmith-log-export.schema.json");
    const elsewhere = await mkdtemp(join(tmpdir(), "cle-project-"));
    const outside = JSON.parse(
      renderConfig({ accountId: "123456789012" }, join(elsewhere, "cloudsmith-log-export.json")),
    );
    expect(outside.$schema).toBe(
      `https://unpkg.com/cloudsmith-log-export@${packageVersion()}/schema/cloudsmith-log-export.schema.json`,
    );
  });
});
