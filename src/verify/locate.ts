/**
 * Where a result points, for code scanning: a line of a file in the repository that a person
 * edits. That is the config field the rule follows from (the config is the source of the
 * synthesized Terraform), or, for a resource declared in the user's own `.tf` files, its
 * `resource` block; the plan or `cdk.tf.json` line (generated, in no pull request's diff) is kept
 * as a related location. Fields are found by their path in the JSON (a `backend.bucket` is never
 * taken for the top-level `bucket`), and each primary line carries the line hash code scanning
 * matches alerts by.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import type { Location, Result } from "../engine/evaluate.js";
import { lineHashes } from "../util/line-hash.js";
import { reportUri } from "../util/report-uri.js";
import type { TfSourceIndex } from "./tf-sources.js";

export { reportUri };

/** A config larger than this is not read again for locations (the reader refused it already). */
const MAX_CONFIG_TEXT = 1024 * 1024;

/**
 * The config field's location for a result, by rule area; undefined when the config is not a
 * file (`--example`) or names none of the area's fields.
 */
export async function configFieldLocator(
  label: string,
  fieldsByArea: Readonly<Record<string, readonly string[]>>,
): Promise<(r: Result) => Location | undefined> {
  const isFile = existsSync(label) && statSync(label).isFile() && statSync(label).size <= MAX_CONFIG_TEXT;
  if (!isFile) return () => undefined;
  const text = readFileSync(label, "utf8");
  const uri = reportUri(label);
  const { parseTree, findNodeAtLocation } = await import("jsonc-parser");
  const root = parseTree(text);
  const starts = lineStarts(text);
  let hashes: string[] | undefined;
  const found = new Map<string, Location | undefined>();
  const at = (path: string): Location | undefined => {
    if (found.has(path)) return found.get(path);
    const value = root ? findNodeAtLocation(root, path.split(".")) : undefined;
    // The property node: from the key to the end of its value.
    const node = value?.parent?.type === "property" ? value.parent : value;
    let loc: Location | undefined;
    if (node) {
      const start = position(starts, node.offset);
      const end = position(starts, node.offset + node.length);
      hashes ??= lineHashes(text);
      loc = { uri, ...start, endLine: end.line, endColumn: end.column, lineHash: hashes[start.line - 1] };
    }
    found.set(path, loc);
    return loc;
  };
  return (result) => {
    for (const path of fieldsByArea[result.ruleId.split(".")[0]!] ?? []) {
      const loc = at(path);
      if (loc) return loc;
    }
    return undefined;
  };
}

/**
 * How every result of one config is located: a static run's results in the user's `.tf` source
 * or the config field, with the Terraform line related; a live run's at the config field (the
 * config's first line when it names none).
 */
export async function resultLocator(opts: {
  label: string;
  fieldsByArea: Readonly<Record<string, readonly string[]>>;
  terraform?: (r: Result) => Location;
  tfSources?: TfSourceIndex;
}): Promise<(r: Result) => Location> {
  const field = await configFieldLocator(opts.label, opts.fieldsByArea);
  const isFile = existsSync(opts.label) && statSync(opts.label).isFile();
  // A field the config leaves to its default is added at the config's top: its first line.
  const top: Location | undefined = isFile
    ? { uri: reportUri(opts.label), line: 1, lineHash: firstLineHash(opts.label) }
    : undefined;
  const fallback: Location = top ?? { uri: opts.label, line: 1 };
  const terraform = opts.terraform;
  if (!terraform) return (r) => field(r) ?? fallback;
  return (r) => {
    const tf = terraform(r);
    const { address, ...generated } = tf;
    const source = (address ? opts.tfSources?.get(address) : undefined) ?? field(r) ?? top;
    return source ? { ...source, related: [generated] } : generated;
  };
}

function firstLineHash(file: string): string | undefined {
  try {
    return statSync(file).size <= MAX_CONFIG_TEXT ? lineHashes(readFileSync(file, "utf8"))[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The offset of each line's first character. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset (binary search over the line starts). */
function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}
