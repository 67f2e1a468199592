/** `verify -c DIR`: only config files are read; everything else in the folder is named and skipped. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfigs } from "../../src/cli/resolve-config.js";
import { base } from "../helpers/configs.js";

describe("directory mode", () => {
  it("reads configs by $schema or shape, skips a plan, a report and a broken file, and names them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-dir-"));
    await writeFile(
      join(dir, "a.json"),
      JSON.stringify({ $schema: "../schema/cloudsmith-log-export.schema.json", ...base }),
    );
    await writeFile(join(dir, "b.json"), JSON.stringify({ ...base, accountId: "210987654321" }));
    await writeFile(join(dir, "plan.json"), JSON.stringify({ format_version: "1.2", planned_values: {} }));
    await writeFile(join(dir, "report.json"), JSON.stringify({ reportVersion: 1, results: [] }));
    await writeFile(join(dir, "broken.json"), "{ not json");
    const skipped: string[] = [];
    const configs = await resolveConfigs([dir], { onSkip: (file) => skipped.push(file) });
    expect(configs.map((c) => [c.label, c.config.accountId])).toEqual([
      [join(dir, "a.json"), "123456789012"],
      [join(dir, "b.json"), "210987654321"],
    ]);
    expect(skipped.sort()).toEqual([join(dir, "broken.json"), join(dir, "plan.json"), join(dir, "report.json")]);
  });

  it("a folder with no config: exit 2; a config-shaped file with a bad value is still an error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cle-dir-"));
    await writeFile(join(dir, "plan.json"), JSON.stringify({ format_version: "1.2" }));
    await expect(resolveConfigs([dir], { onSkip: () => undefined })).rejects.toThrow(
      /no cloudsmith-log-export config files in this directory/,
    );
    await writeFile(join(dir, "bad.json"), JSON.stringify({ ...base, accountId: "12" }));
    await expect(resolveConfigs([dir], { onSkip: () => undefined })).rejects.toThrow(/accountId = "12"/);
  });
});

describe("--list-rules", async () => {
  const { runCli } = await import("../helpers/cli.js");
  it("honours text and json, and refuses a report format instead of printing text", async () => {
    expect((await runCli(["verify", "--list-rules", "--output", "json"])).code).toBe(0);
    const sarif = await runCli(["verify", "--list-rules", "--output", "sarif"]);
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toMatch(/--list-rules prints text or json, not sarif/);
    expect(sarif.stdout).toBe("");
  });
});

describe("--no-color", async () => {
  const { runCli } = await import("../helpers/cli.js");
  const { mkdtemp: tmp } = await import("node:fs/promises");
  it("turns colour off before or after the command, even when FORCE_COLOR asks for it", async () => {
    const cwd = await tmp(join(tmpdir(), "cle-colour-"));
    const forced = await runCli(["synth", "--example"], { cwd, env: { FORCE_COLOR: "1", NO_COLOR: undefined } });
    expect(forced.stdout).toMatch(/\u001b\[/);
    for (const args of [
      ["synth", "--example", "--no-color"],
      ["--no-color", "synth", "--example"],
    ]) {
      const r = await runCli(args, { cwd, env: { FORCE_COLOR: "1", NO_COLOR: undefined } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/\u001b\[/);
    }
  });
});
