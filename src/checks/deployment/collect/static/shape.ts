/**
 * The shape of the two Terraform files `verify --static` reads, checked
 * before anything walks them: a field with an unexpected type (or null) is
 * one line naming the file and the field, never a crash deep inside a rule.
 * Only what the collector reads is constrained; everything else passes.
 */
import { z } from "zod";

const resource = z.looseObject({
  address: z.string(),
  mode: z.string().optional(),
  type: z.string(),
  name: z.string(),
  values: z.record(z.string(), z.unknown()).optional(),
});

interface Module {
  resources?: z.infer<typeof resource>[];
  child_modules?: Module[];
}

const module: z.ZodType<Module> = z.lazy(() =>
  z.looseObject({
    resources: z.array(resource).optional(),
    child_modules: z.array(module).optional(),
  }),
);

/**
 * `terraform show -json` output: format 1.x (Terraform 0.15 and later; 0.x before it, same shape).
 * A later major version may mean anything: refused, not read as if it were 1.x.
 */
export const PlanShape = z.looseObject({
  format_version: z
    .string()
    .regex(/^[01]\.\d+$/, "is not a plan JSON format this tool reads (0.x or 1.x, from `terraform show -json`)"),
  planned_values: z.looseObject({ root_module: module }),
  resource_changes: z
    .array(
      z.looseObject({
        address: z.string(),
        change: z.looseObject({}).optional(),
      }),
    )
    .optional(),
  configuration: z
    .looseObject({
      root_module: z
        .looseObject({
          resources: z
            .array(
              z.looseObject({
                address: z.string(),
                expressions: z.record(z.string(), z.unknown()).optional(),
              }),
            )
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

/** cdk.tf.json: `resource.<type>.<name>` objects. */
export const SynthShape = z.looseObject({
  resource: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
});

/** The first problem as `field: what is wrong`, the field as a dotted path. */
export function shapeProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.length === 0 ? "(the file)" : issue.path.map(String).join(".");
  const message =
    issue.code === "invalid_type"
      ? `must be ${issue.expected === "record" ? "object" : issue.expected}`
      : issue.message;
  return `${path}: ${message}`;
}
