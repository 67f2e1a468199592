/**
 * `--help` of every command, as users see it in an 80-column terminal or a CI
 * log: a snapshot to review, no line wider than 80 columns, and no word glued
 * to the next (the old help printed "config,synthesize" and "deploy.Exit").
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const COMMANDS = [
  [],
  ["init"],
  ["synth"],
  ["request"],
  ["verify"],
  ["investigate"],
  ["audit-log"],
  ["audit-log", "pull"],
];

/** Prose tokens where a sentence or clause runs into the next word. */
function gluedWords(help: string): string[] {
  return help
    .split(/\s+/)
    .map((t) => t.replace(/^["'(]+|["'),;:.]+$/g, ""))
    .filter((t) => !/[/`{}=<>]|^-|\.(json|xml|tf|io|out)\b/.test(t)) // paths, code, flags
    .filter((t) => /[a-z][,;:.][A-Za-z]/.test(t) || /^[a-z]{2,}[A-Z][a-z]/.test(t))
    .filter((t) => !/^e\.g\.?/.test(t));
}

describe("--help", () => {
  it.each(COMMANDS.map((c) => [c.join(" ") || "(top level)", c] as const))("%s", async (_name, cmd) => {
    const r = await runCli([...cmd, "--help"]);
    expect(r.code).toBe(0);
    const wide = r.stdout.split("\n").filter((l) => l.length > 80);
    expect(wide).toEqual([]);
    expect(gluedWords(r.stdout)).toEqual([]);
    await expect(r.stdout).toMatchFileSnapshot(`__snapshots__/help-${cmd.join("-") || "main"}.txt`);
  });

  it("the glued-word check catches what the old help printed", () => {
    expect(gluedWords("then write the config,synthesize Terraform")).toEqual(["config,synthesize"]);
    expect(gluedWords("before deploy.Exit codes: 0")).toEqual(["deploy.Exit"]);
    expect(gluedWords("add theExternal ID")).toEqual(["theExternal"]);
    expect(gluedWords("e.g. cdk.tf.json or plan.json, --output-file")).toEqual([]);
  });
});
