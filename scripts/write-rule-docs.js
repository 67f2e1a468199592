// Regenerates the README's generated sections (the rule reference and verify's permission table)
// from the registries. Run after `npm run build`; the tests fail when the README is stale.
import { readFileSync, writeFileSync } from "node:fs";
import {
  PERMISSION_DOCS_END,
  PERMISSION_DOCS_START,
  renderPermissionDocs,
} from "../dist/src/verify/permission-docs.js";
import { RULE_DOCS_END, RULE_DOCS_START, renderRuleDocs } from "../dist/src/verify/rule-docs.js";

const file = new URL("../README.md", import.meta.url);
let readme = readFileSync(file, "utf8");
for (const [startMark, endMark, render] of [
  [RULE_DOCS_START, RULE_DOCS_END, renderRuleDocs],
  [PERMISSION_DOCS_START, PERMISSION_DOCS_END, renderPermissionDocs],
]) {
  const start = readme.indexOf(startMark);
  const end = readme.indexOf(endMark);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${startMark} ... ${endMark} markers`);
  readme = readme.slice(0, start) + render() + readme.slice(end + endMark.length);
}
writeFileSync(file, readme);
console.log("README.md rule reference and permission table updated");
