// Regenerates schema/cloudsmith-log-export.schema.json from the zod schema (run after `npm run build`).
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../dist/src/config/json-schema.js";

const file = new URL("../schema/cloudsmith-log-export.schema.json", import.meta.url);
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
