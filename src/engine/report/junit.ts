/**
 * JUnit XML, written with an XML builder (escaping is the library's, not ours) in the one shape
 * both schemas CI systems follow accept: the Jenkins xUnit plugin's junit-10.xsd and Maven
 * Surefire's surefire-test-report-3.0.xsd (GitLab reads the same). That is a single <testsuite>
 * root (Surefire has no <testsuites>), every count it requires, a time on the suite and on every
 * testcase, failure and error with a type; the rule area is the testcase's classname, and with
 * several configs each testcase name starts with its config.
 */
import { create } from "xmlbuilder2";
import type { Result } from "../evaluate.js";

/** XML 1.0 cannot carry most C0 controls, even escaped: they are shown, not dropped in silence. */
const xmlText = (s: string): string =>
  s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );

/** Seconds with at most three decimals: Surefire's SUREFIRE_TIME pattern. */
const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);

export function renderJunit(
  reports: ReadonlyArray<{ config: string; results: readonly Result[]; durationMs?: number }>,
  name: string,
): string {
  const results = reports.flatMap((r) => r.results);
  const count = (status: Result["status"][]) => String(results.filter((r) => status.includes(r.status)).length);
  const suite = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuite", {
    name,
    tests: String(results.length),
    failures: count(["FAIL"]),
    errors: count(["ERROR"]),
    // Recommendations not met (ADVICE) are reported like skipped tests: visible, never a failure.
    skipped: count(["SKIPPED", "ADVICE"]),
    time: seconds(reports.reduce((sum, r) => sum + (r.durationMs ?? 0), 0)),
  });
  for (const report of reports) {
    for (const r of report.results) {
      const subject = r.resource === "-" ? r.ruleId : `${r.ruleId} ${r.resource}`;
      const testcase = suite.ele("testcase", {
        name: xmlText(reports.length > 1 ? `[${report.config}] ${subject}` : subject),
        classname: `${name}.${r.ruleId.split(".")[0]!}`,
        time: seconds(r.durationMs),
      });
      const message = xmlText(r.message);
      const detail = xmlText(`${r.title}: ${r.message}`);
      if (r.status === "FAIL") testcase.ele("failure", { type: r.severity, message }).txt(detail);
      else if (r.status === "ERROR") testcase.ele("error", { type: "unreadable", message }).txt(detail);
      else if (r.status === "SKIPPED") testcase.ele("skipped", { message });
      else if (r.status === "ADVICE")
        testcase.ele("skipped", { message: xmlText(`ADVICE (recommendation): ${r.message}`) });
    }
  }
  return `${suite.end({ prettyPrint: true })}\n`;
}
