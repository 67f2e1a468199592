/**
 * The layering the lint rules enforce, checked on the real import graph:
 * no import cycles between the top-level folders of src/ (type-only and
 * dynamic imports included), and the engine, packs and CLI in their places.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(ROOT, "src");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every relative import of every file under src/, as [from, to] repo-relative paths. */
function importEdges(): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const file of tsFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, ".ts");
      edges.push([relative(ROOT, file), relative(ROOT, target)]);
    }
  }
  return edges;
}

/** `src/checks/deployment/facts.ts` -> `checks`; files outside src/ (stacks/) keep their top folder. */
const area = (path: string): string => {
  const parts = path.split("/");
  return parts[0] === "src" ? (parts.length > 2 ? parts[1]! : "(src)") : parts[0]!;
};

/** The strongly connected components with more than one folder: each is a cycle. */
function folderCycles(edges: Array<[string, string]>): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    const [x, y] = [area(a), area(b)];
    if (x === y) continue;
    if (!graph.has(x)) graph.set(x, new Set());
    if (!graph.has(y)) graph.set(y, new Set());
    graph.get(x)!.add(y);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const EDGES = importEdges();
const offending = (from: (p: string) => boolean, to: (p: string) => boolean) =>
  EDGES.filter(([a, b]) => from(a) && to(b)).map(([a, b]) => `${a} -> ${b}`);

describe("import structure", () => {
  it("sees the imports (the graph is not empty)", () => {
    expect(EDGES.length).toBeGreaterThan(200);
  });

  it("has no import cycles between the top-level folders of src/", () => {
    expect(folderCycles(EDGES)).toEqual([]);
  });

  it("finds a cycle when there is one (the checker itself works)", () => {
    expect(folderCycles([...EDGES, ["src/util/x.ts", "src/checks/index.ts"]])).not.toEqual([]);
  });

  it("the engine imports only itself and util/: it knows nothing of AWS or the tool's config", () => {
    expect(
      offending(
        (a) => a.startsWith("src/engine/"),
        (b) => !/^src\/(engine|util)\//.test(b),
      ),
    ).toEqual([]);
  });

  it("a pack is one folder: only the registry (checks/index.ts) and the pack itself import from it", () => {
    const packOf = (p: string) => /^src\/checks\/([^/]+)\//.exec(p)?.[1];
    const packs = new Set(
      readdirSync(join(SRC, "checks")).filter((n) => statSync(join(SRC, "checks", n)).isDirectory()),
    );
    expect([...packs].sort()).toEqual([
      "cloudsmith",
      "delivery",
      "deployment",
      "identity",
      "integrity",
      "query",
      "siem",
    ]);
    const leaks = EDGES.filter(([a, b]) => {
      const target = packOf(b);
      if (target === undefined || !packs.has(target)) return false;
      return a !== "src/checks/index.ts" && packOf(a) !== target;
    }).map(([a, b]) => `${a} -> ${b}`);
    expect(leaks).toEqual([]);
  });

  it("the pack check sees a leak when there is one", () => {
    const edges: Array<[string, string]> = [["src/verify/run-one.ts", "src/checks/deployment/facts.ts"]];
    const packOf = (p: string) => /^src\/checks\/([^/]+)\//.exec(p)?.[1];
    expect(edges.filter(([a, b]) => packOf(b) !== undefined && packOf(a) !== packOf(b))).toHaveLength(1);
  });

  it("no source file names a pack outside its folder and the registry (ids in strings included)", () => {
    const outside = tsFiles(SRC).filter((f) => {
      const rel = relative(ROOT, f);
      return !/^src\/checks\/(index\.ts|(cloudsmith|delivery|deployment|identity|integrity|query)\/)/.test(rel);
    });
    const named = outside.filter((f) =>
      /\b(deliveryPack|integrityPack|cloudsmithPack|deploymentPack|identityPack|queryPack)\b/.test(
        readFileSync(f, "utf8"),
      ),
    );
    expect(named.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("check packs never import the runners, the CLI or the wizard", () => {
    expect(
      offending(
        (a) => a.startsWith("src/checks/"),
        (b) => /^src\/(verify|cli|init)\//.test(b),
      ),
    ).toEqual([]);
  });

  it("nothing below cli/ imports cli/", () => {
    expect(
      offending(
        (a) => !a.startsWith("src/cli/"),
        (b) => b.startsWith("src/cli/"),
      ),
    ).toEqual([]);
  });

  it("the runners return reports and never write: only the CLI prints", () => {
    const writers = [...tsFiles(join(SRC, "verify")), ...tsFiles(join(SRC, "checks"))].filter((f) =>
      /process\.(stdout|stderr)\.write/.test(readFileSync(f, "utf8")),
    );
    expect(writers.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it("cdktf is imported only inside stacks/", () => {
    const cdktf = tsFiles(SRC).filter((f) => /from "(cdktf|@cdktf\/[^"]+|constructs)"/.test(readFileSync(f, "utf8")));
    expect(cdktf.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
