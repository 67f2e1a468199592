/** A run with one of each outcome (PASS, FAIL, ERROR, ADVICE, suppressed, SKIPPED), for the report formats' tests. */
import { RULES } from "../../src/checks/deployment/rules/index.js";
import { evaluate, type Result } from "../../src/engine/evaluate.js";
import { failed, present } from "../../src/engine/fact.js";
import { loadActionCatalog } from "../../src/iam/action-catalog.js";
import { base } from "./configs.js";
import { healthyFacts, presentValue } from "./facts.js";

export async function mixedResults(): Promise<Result[]> {
  await loadActionCatalog(["s3:*"]);
  const facts = healthyFacts({
    ...base,
    suppressions: [{ rule: "trail.global-events", reason: "recorded by the organization trail" }],
  });
  facts.exportBucket.requestPayer = present("Requester"); // FAIL
  facts.trailStatus = failed("AccessDenied"); // ERROR
  presentValue(facts.trail).includeGlobalServiceEvents = false; // suppressed
  delete presentValue(facts.trail).kmsKeyId; // advice
  return evaluate(RULES, facts);
}
