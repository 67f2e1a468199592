/** The published JSON Schema, generated from the zod schema so the two cannot drift. */
import { z } from "zod";
import { ConfigSchema } from "./schema.js";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: "cloudsmith-log-export config",
    description: "Cloudsmith log export to S3 and its CloudTrail audit trail. See docs/config.md for every field.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
