/**
 * Terraform resources from either static source, in one shape: the
 * synthesized `cdk.tf.json`, or `terraform show -json` of a plan. Values
 * known only after apply are replaced by UNKNOWN, never guessed.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { InputFileError, MiB, readJsonFile } from "../../../../util/json-file.js";
import { PlanShape, SynthShape, shapeProblem } from "./shape.js";

/** Marks a value that Terraform will only know after apply. */
export const UNKNOWN: unique symbol = Symbol("unknown after apply");
export type TfValue = unknown;

export interface TfResource {
  type: string;
  name: string;
  /** Its Terraform address (`module.m.type.name` in a plan): how reports point at it. */
  address: string;
  values: Record<string, TfValue>;
}

export interface TfSource {
  kind: "terraform-json" | "terraform-plan";
  resources: TfResource[];
}

/** A source read from a file: the file and its text, so results can point at a resource's line. */
export interface TfFile extends TfSource {
  file: string;
  text: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** What a synthesized reference to a role ARN resolves to: the ARN is derived from the account and the name. */
export interface ArnContext {
  partition: string;
  accountId: string;
}

/**
 * The largest plan or stack file read. A plan of a few hundred resources is a
 * few MiB; past this, parsing alone would take the run beyond its memory
 * budget (plan only what this tool checks: `terraform plan -target=...`).
 */
export const MAX_TERRAFORM_BYTES = 12 * MiB;

/**
 * Reads a stack directory, a cdk.tf.json or a plan JSON file, telling them
 * apart by content. Anything else (not JSON, another JSON document, a field of
 * the wrong type, an unknown plan format) is an InputFileError naming the field.
 */
export async function readTerraformSource(path: string, ctx: ArnContext): Promise<TfFile> {
  const isDir = await stat(path).then(
    (s) => s.isDirectory(),
    () => false, // the reader names what is wrong with it
  );
  const file = isDir ? await findStackFile(path) : path;
  const { text, value } = await readJsonFile(file, { maxBytes: MAX_TERRAFORM_BYTES });
  if (!isObj(value))
    throw new InputFileError(file, "not Terraform JSON (cdk.tf.json) nor `terraform show -json` plan output");
  if (value.planned_values !== undefined || value.format_version !== undefined) {
    const plan = PlanShape.safeParse(value);
    if (!plan.success) throw new InputFileError(file, `not a plan this tool can read: ${shapeProblem(plan.error)}`);
    return { ...fromPlan(value, ctx), file, text };
  }
  if (value.resource !== undefined) {
    const synth = SynthShape.safeParse(value);
    if (!synth.success)
      throw new InputFileError(file, `not Terraform JSON this tool can read: ${shapeProblem(synth.error)}`);
    return { ...fromSynth(value, ctx), file, text };
  }
  throw new InputFileError(
    file,
    "neither Terraform JSON (cdk.tf.json, with `resource`) nor `terraform show -json` plan output (with `planned_values`)",
  );
}

async function findStackFile(dir: string): Promise<string> {
  const candidates = [join(dir, "cdk.tf.json"), join(dir, "stacks", "cloudsmith-log-export", "cdk.tf.json")];
  for (const candidate of candidates) {
    if (
      await stat(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new InputFileError(dir, `a directory with no ${candidates.map((c) => c.slice(dir.length + 1)).join(" or ")}`);
}

/**
 * The value behind a reference `type.name.attr` when it can be known before
 * apply: a bucket's and a role's `id` are their names, and a role's ARN
 * follows from the account and its name.
 */
function referencedValue(target: TfResource | undefined, attr: string, ctx?: ArnContext): TfValue {
  if (!target) return UNKNOWN;
  const name = target.values.name;
  if (target.type === "aws_iam_role" && attr === "arn" && ctx && typeof name === "string" && !name.includes("${")) {
    return `arn:${ctx.partition}:iam::${ctx.accountId}:role${(target.values.path as string | undefined) ?? "/"}${name}`;
  }
  const key =
    attr === "id"
      ? (({ aws_s3_bucket: "bucket", aws_iam_role: "name" } as Record<string, string>)[target.type] ?? attr)
      : attr;
  return target.values[key] ?? UNKNOWN;
}

/** Synthesized JSON: `${type.name.attr}` references are resolved where the attribute is literal. */
export function fromSynth(doc: Json, ctx?: ArnContext): TfSource {
  const raw: TfResource[] = [];
  for (const [type, byName] of Object.entries((doc.resource as Json) ?? {})) {
    for (const [name, values] of Object.entries(byName as Json))
      raw.push({ type, name, address: `${type}.${name}`, values: values as Json });
  }
  const index = new Map(raw.map((r) => [`${r.type}.${r.name}`, r]));
  const resolve = (v: TfValue, depth = 0): TfValue => {
    if (typeof v === "string") {
      const ref = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(v);
      if (ref) {
        const value = referencedValue(index.get(ref[1]!), ref[2]!, ctx);
        return value === UNKNOWN || depth > 5 ? UNKNOWN : resolve(value, depth + 1);
      }
      // Input variables are kept as written (rules that need their value say so); anything else interpolated is unknown.
      const interpolations = v.match(/\$\{[^}]*\}/g) ?? [];
      return interpolations.every((i) => /^\$\{var\.[A-Za-z0-9_]+\}$/.test(i)) ? v : UNKNOWN;
    }
    if (Array.isArray(v)) return v.map((x) => resolve(x, depth));
    if (isObj(v))
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "//")
          .map(([k, x]) => [k, resolve(x, depth)]),
      );
    return v;
  };
  return { kind: "terraform-json", resources: raw.map((r) => ({ ...r, values: resolve(r.values) as Json })) };
}

/**
 * Plan JSON: planned values, with every attribute in `after_unknown` set to
 * UNKNOWN, except top-level references (`role = aws_iam_role.x.id`) that the
 * plan's configuration lets us resolve to values known before apply.
 */
export function fromPlan(doc: Json, ctx?: ArnContext): TfSource {
  const unknowns = new Map<string, unknown>();
  for (const rc of (doc.resource_changes as Json[] | undefined) ?? []) {
    const change = rc.change as Json | undefined;
    if (change && change.after_unknown !== undefined) unknowns.set(rc.address as string, change.after_unknown);
  }
  const expressions = new Map<string, Json>();
  for (const r of (((doc.configuration as Json | undefined)?.root_module as Json | undefined)?.resources as
    | Json[]
    | undefined) ?? []) {
    expressions.set(r.address as string, (r.expressions as Json | undefined) ?? {});
  }
  const resources: TfResource[] = [];
  const walk = (module: Json | undefined) => {
    if (!module) return;
    for (const r of (module.resources as Json[] | undefined) ?? []) {
      if (r.mode !== undefined && r.mode !== "managed") continue;
      const address = r.address as string;
      resources.push({
        address,
        type: r.type as string,
        name: r.name as string,
        values: (markUnknown(r.values ?? {}, unknowns.get(address)) as Json | undefined) ?? {},
      });
    }
    for (const child of (module.child_modules as Json[] | undefined) ?? []) walk(child);
  };
  walk((doc.planned_values as Json | undefined)?.root_module as Json | undefined);

  const byAddress = new Map(resources.map((r) => [r.address, r]));
  for (const r of resources) {
    for (const [attr, v] of Object.entries(r.values)) {
      if (v !== UNKNOWN) continue;
      const refs = ((expressions.get(r.address)?.[attr] as Json | undefined)?.references as string[] | undefined) ?? [];
      const m = refs.length > 0 ? /^([a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)$/.exec(refs[0]!) : null;
      if (m) r.values[attr] = referencedValue(byAddress.get(m[1]!), m[2]!, ctx);
    }
  }
  return { kind: "terraform-plan", resources };
}

function markUnknown(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => markUnknown(v, Array.isArray(unknown) ? unknown[i] : undefined));
  if (isObj(value)) {
    const u = isObj(unknown) ? unknown : {};
    const keys = new Set([...Object.keys(value), ...Object.keys(u)]);
    return Object.fromEntries([...keys].map((k) => [k, markUnknown(value[k], u[k])]));
  }
  return value;
}

/** Single nested blocks are objects in cdk.tf.json and one-element lists in plan JSON. */
export const block = (v: TfValue): Json | undefined =>
  Array.isArray(v) ? (v[0] as Json | undefined) : isObj(v) ? v : undefined;
export const blocks = (v: TfValue): Json[] => (Array.isArray(v) ? (v as Json[]) : isObj(v) ? [v] : []);
