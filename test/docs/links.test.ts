/**
 * The documentation's links hold: every relative link in README.md,
 * CONTRIBUTING.md and docs/ names a file that exists, and every #fragment a
 * heading (GitHub's anchor rule) or an explicit anchor in the target page.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? markdownFiles(p) : p.endsWith(".md") ? [p] : [];
  });
}

const PAGES = [join(ROOT, "README.md"), join(ROOT, "CONTRIBUTING.md"), ...markdownFiles(join(ROOT, "docs"))];

/** GitHub's heading anchor: lowercase, punctuation dropped (but - and _), spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

/** The anchors a page has: its headings' slugs (numbered when repeated) and explicit ids. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    const h = /^#{1,6} (.+)$/.exec(line);
    if (h) {
      const base = slug(h[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a id="([^"]+)"/g)) out.add(m[1]!);
  }
  return out;
}

/** Relative links outside code: [text](target). */
function links(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) continue;
    for (const m of line.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (!/^[a-z]+:/i.test(target)) out.push(target);
    }
  }
  return out;
}

function brokenLinks(page: string): string[] {
  const text = readFileSync(page, "utf8");
  return links(text).flatMap((target) => {
    const [path, fragment] = target.split("#") as [string, string | undefined];
    const file = path === "" ? page : resolve(dirname(page), path);
    const where = `${relative(ROOT, page)} -> ${target}`;
    if (!existsSync(file)) return [`${where}: no such file`];
    if (fragment === undefined) return [];
    if (statSync(file).isDirectory()) return [`${where}: a folder has no anchors`];
    return anchors(readFileSync(file, "utf8")).has(fragment) ? [] : [`${where}: no such anchor`];
  });
}

describe("documentation links", () => {
  it("reads every page (README, CONTRIBUTING, docs/ with a page per rule)", () => {
    expect(PAGES.length).toBeGreaterThan(40);
  });

  it.each(PAGES.map((p) => [relative(ROOT, p), p]))("%s: every relative link resolves", (_name, page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  it("catches a broken file and a broken anchor (the checker itself works)", () => {
    const page = join(ROOT, "README.md");
    const text = "[a](docs/no-such-page.md) [b](CONTRIBUTING.md#no-such-heading) [c](CONTRIBUTING.md#tests)";
    const found = links(text).filter((t) => {
      const [path, fragment] = t.split("#") as [string, string | undefined];
      const file = resolve(dirname(page), path);
      return !existsSync(file) || (fragment !== undefined && !anchors(readFileSync(file, "utf8")).has(fragment));
    });
    expect(found).toEqual(["docs/no-such-page.md", "CONTRIBUTING.md#no-such-heading"]);
  });

  it("the README stays short: what the project is, install, quick start, a tour, links", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(300);
  });
});
