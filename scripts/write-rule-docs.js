// Regenerates the README's rule reference (between the rules markers) from the rule registry.
// Run after `npm run build`; test/verify/rules.test.ts fails when the README is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { RULE_DOCS_END, RULE_DOCS_START, renderRuleDocs } from "../dist/src/verify/rule-docs.js";

const file = new URL("../README.md", import.meta.url);
const readme = readFileSync(file, "utf8");
const start = readme.indexOf(RULE_DOCS_START);
const end = readme.indexOf(RULE_DOCS_END);
if (start < 0 || end < 0) throw new Error("README.md has no rule markers");
writeFileSync(file, readme.slice(0, start) + renderRuleDocs() + readme.slice(end + RULE_DOCS_END.length));
console.log("README.md rule reference updated");
