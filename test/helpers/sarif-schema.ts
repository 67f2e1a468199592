/**
 * The SARIF 2.1.0 JSON schema (the final "rtm.5" schema as published with the standard, shipped
 * by Microsoft's MIT-licensed @microsoft/jest-sarif) and a validator for it. The schema is
 * draft-04, so Ajv's draft-04 build validates it; formats (uri, date-time) are checked too.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as object;

// The schema's language pattern has a stray "]", valid only outside unicode mode.
// Both are CommonJS with a `default` export: the same object whichever way they are loaded.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

/** The schema's complaints about a SARIF log, one line each; empty when it is valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
