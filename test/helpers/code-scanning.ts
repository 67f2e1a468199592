/**
 * GitHub code scanning's rules for an uploaded SARIF file, as documented (an outside judge beside
 * the SARIF schema):
 * - "SARIF results exceed one or more limits"
 *   (docs.github.com/code-security/code-scanning/troubleshooting-sarif/results-exceed-limit):
 *   "Runs per file 20 | Results per run 25,000 | Rules per run 25,000 | Location per result 1,000 |
 *   Tags per rule 20".
 * - "SARIF support for code scanning" (docs.github.com/code-security/code-scanning/
 *   integrating-with-code-scanning/sarif-support-for-code-scanning): a result needs `ruleId`,
 *   `message.text` and `locations[]` with a `physicalLocation` (artifactLocation.uri, region);
 *   "Two or more runs with the same category and tool in one file are rejected"; the
 *   `primaryLocationLineHash` partial fingerprint is what alerts are matched by.
 */
export function codeScanningProblems(sarif: { runs?: Array<Record<string, unknown>> }): string[] {
  const problems: string[] = [];
  const runs = sarif.runs ?? [];
  if (runs.length > 20) problems.push(`${runs.length} runs in one file (at most 20)`);
  const categories = new Set<string>();
  runs.forEach((run, i) => {
    const driver = (run.tool as { driver?: { name?: string; rules?: Array<{ properties?: { tags?: unknown[] } }> } })
      ?.driver;
    const category = `${driver?.name}/${(run.automationDetails as { id?: string } | undefined)?.id ?? ""}`;
    if (categories.has(category)) problems.push(`run ${i}: a second run of ${category}`);
    categories.add(category);
    const rules = driver?.rules ?? [];
    if (rules.length > 25_000) problems.push(`run ${i}: ${rules.length} rules (at most 25,000)`);
    for (const r of rules)
      if ((r.properties?.tags?.length ?? 0) > 20) problems.push(`run ${i}: a rule with more than 20 tags`);
    const results = (run.results ?? []) as Array<Record<string, unknown>>;
    if (results.length > 25_000) problems.push(`run ${i}: ${results.length} results (at most 25,000)`);
    results.forEach((r, j) => {
      const where = `run ${i} result ${j}`;
      if (typeof r.ruleId !== "string") problems.push(`${where}: no ruleId`);
      if (typeof (r.message as { text?: unknown })?.text !== "string") problems.push(`${where}: no message.text`);
      const locations = (r.locations ?? []) as Array<{ physicalLocation?: Record<string, unknown> }>;
      if (locations.length === 0) problems.push(`${where}: no location`);
      if (locations.length > 1000) problems.push(`${where}: more than 1,000 locations`);
      const p = locations[0]?.physicalLocation as
        | { artifactLocation?: { uri?: string }; region?: { startLine?: number } }
        | undefined;
      if (typeof p?.artifactLocation?.uri !== "string") problems.push(`${where}: no artifactLocation.uri`);
      if (typeof p?.region?.startLine !== "number") problems.push(`${where}: no region.startLine`);
    });
  });
  return problems;
}
