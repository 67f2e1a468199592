/**
 * `--package <format>:<name>[@<version>]`: what to look for. The version is exact, `*` (any), a
 * glob (`4.17.*`), or a semver range (`>=4.17.0 <4.17.21`, `^4.17.0`); formats are Cloudsmith's
 * names, with CodeArtifact's where they differ (python = pypi). Names compare as each ecosystem
 * does: npm case-sensitive (scoped `@scope/name`), PyPI normalised (PEP 503), Maven `group:artifact`.
 */
import { cjs } from "../util/cjs.js";

export interface PackageSpec {
  format: string;
  name: string;
  /** undefined: any version. */
  version?:
    | { kind: "exact"; value: string }
    | { kind: "glob"; pattern: RegExp; text: string }
    | { kind: "range"; text: string };
  text: string;
}

const FORMATS: Record<string, string> = {
  npm: "npm",
  python: "python",
  pypi: "python",
  maven: "maven",
  nuget: "nuget",
  generic: "raw",
  raw: "raw",
  cargo: "cargo",
  ruby: "ruby",
  swift: "swift",
  go: "go",
  docker: "docker",
  helm: "helm",
  deb: "deb",
  rpm: "rpm",
  terraform: "terraform",
  composer: "composer",
};

/** The canonical format name (Cloudsmith's), or undefined for one this tool does not know. */
export const canonicalFormat = (format: string): string | undefined => FORMATS[format.toLowerCase()];

/** A package name as its ecosystem compares it. */
export function normalName(format: string, name: string): string {
  if (format === "python") return name.toLowerCase().replace(/[-_.]+/g, "-");
  if (format === "npm" || format === "cargo" || format === "go") return name;
  return name.toLowerCase();
}

/**
 * A cheap test of raw text (a log line, a CloudTrail record) that matches whenever the text may
 * concern the package: its base name (after an npm scope or a Maven group, which CodeArtifact
 * records apart), case-insensitive, with PyPI's separators interchangeable. Only what it lets
 * through is parsed; the query then compares exactly.
 */
export function mentionsPackage(spec: PackageSpec): RegExp {
  return new RegExp(mentionPattern(spec), "i");
}

/** mentionsPackage's expression, lower case, for an engine to apply to lower-cased text. */
export function mentionPattern(spec: PackageSpec): string {
  const base = (spec.name.split(/[/:]/).pop() ?? spec.name).toLowerCase();
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern =
    spec.format === "python"
      ? base
          .split(/[-_.]+/)
          .map(literal)
          .join("[-_.]+")
      : literal(base);
  return pattern;
}

/** Parses the spec; throws an Error whose message says what is wrong (the CLI makes it exit 2). */
export function parsePackageSpec(text: string): PackageSpec {
  const m = /^([A-Za-z]+):(.+)$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not <format>:<name>[@<version>], e.g. npm:lodash@4.17.20`);
  const format = canonicalFormat(m[1]!);
  if (!format) throw new Error(`'${m[1]}' is not a package format (${Object.keys(FORMATS).join(", ")})`);
  // npm scopes start with @: the version separator is the last @ after the first character.
  const rest = m[2]!;
  const at = rest.lastIndexOf("@");
  const [name, version] = at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : [rest, undefined];
  if (name === "" || /[\s\u0000-\u001f]/.test(name)) throw new Error(`'${name}' is not a package name`);
  if (version === undefined || version === "" || version === "*") return { format, name, text };
  if (/^[\w.+-]+$/.test(version) && !version.includes("*"))
    return { format, name, version: { kind: "exact", value: version }, text };
  if (/^[\w.+*-]+$/.test(version)) {
    const pattern = new RegExp(`^${version.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return { format, name, version: { kind: "glob", pattern, text: version }, text };
  }
  return { format, name, version: { kind: "range", text: version }, text };
}

/** Whether a row's package matches (a version range is judged with semver, loaded when needed). */
export async function versionMatcher(spec: PackageSpec): Promise<(version: string | null | undefined) => boolean> {
  const v = spec.version;
  if (!v) return () => true;
  if (v.kind === "exact") return (x) => x === v.value;
  if (v.kind === "glob") return (x) => typeof x === "string" && v.pattern.test(x);
  const semver = cjs(await import("semver"));
  const range = semver.validRange(v.text, { loose: true });
  if (!range) throw new Error(`'${v.text}' is not a version, a glob (4.17.*) or a semver range (>=4.17.0 <4.17.21)`);
  return (x) =>
    typeof x === "string" && semver.valid(x, { loose: true }) !== null && semver.satisfies(x, range, { loose: true });
}
