// Regenerates the generated docs from the registries: the rule index (docs/rules/README.md), a page
// per rule (docs/rules/<id>.md) and verify's permission table (docs/ci.md). Run after
// `npm run build`; the tests fail when the docs are stale.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import {
  PERMISSION_DOCS_END,
  PERMISSION_DOCS_START,
  renderPermissionDocs,
} from "../dist/src/verify/permission-docs.js";
import { RULE_DOCS_END, RULE_DOCS_START, renderRuleDocs, ruleDocFiles } from "../dist/src/verify/rule-docs.js";

const docs = new URL("../docs/", import.meta.url);

function replaceBetween(file, startMark, endMark, render) {
  let text = readFileSync(file, "utf8");
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark);
  if (start < 0 || end < 0) throw new Error(`${file.pathname} has no ${startMark} ... ${endMark} markers`);
  text = text.slice(0, start) + render() + text.slice(end + endMark.length);
  writeFileSync(file, text);
}

replaceBetween(new URL("rules/README.md", docs), RULE_DOCS_START, RULE_DOCS_END, renderRuleDocs);
replaceBetween(new URL("ci.md", docs), PERMISSION_DOCS_START, PERMISSION_DOCS_END, renderPermissionDocs);
const pages = ruleDocFiles();
const rulesDir = new URL("rules/", docs);
// A page for a rule that is gone goes too.
for (const name of readdirSync(rulesDir))
  if (name !== "README.md" && name.endsWith(".md") && !pages.has(name)) unlinkSync(new URL(name, rulesDir));
for (const [name, text] of pages) writeFileSync(new URL(name, rulesDir), text);
console.log(`docs/rules: ${pages.size} rule pages and the index; docs/ci.md: the permission table`);
