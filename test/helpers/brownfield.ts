/**
 * The brownfield corpus (test/fixtures/brownfield/*.json): realistic
 * enterprise variations of a deployment, each with the verdicts it must get.
 * A fixture changes the generated deployment: it replaces or adds to the trust
 * policy, the role's policies, the boundary, the bucket policy, the trail's
 * selectors or the key policy. Every config rule it does not name must PASS
 * (or be SKIPPED when it does not apply to the config).
 */
import { readdirSync, readFileSync } from "node:fs";
import type { AdvancedSelector, BasicSelector } from "../../src/checks/deployment/facts.js";
import type { Facts } from "../../src/checks/index.js";
import type { ConfigInput } from "../../src/config/schema.js";
import { present } from "../../src/engine/fact.js";
import type { Status } from "../../src/engine/rule.js";
import type { PolicyDocument, Statement } from "../../src/iam/policies/types.js";
import { base } from "./configs.js";
import { bucketPolicy, healthyFacts, rolePolicies, trustPolicy } from "./facts.js";

export interface Brownfield {
  name: string;
  title: string;
  why: string;
  config?: Partial<ConfigInput>;
  trustPolicy?: PolicyDocument;
  trustStatements?: Statement[];
  /** Replaces the generated inline writer policy; null removes it. */
  writerPolicy?: PolicyDocument | null;
  inlinePolicies?: Record<string, PolicyDocument>;
  /** Customer-managed policies attached to the role. */
  managedPolicies?: Record<string, PolicyDocument>;
  boundary?: PolicyDocument;
  bucketPolicy?: PolicyDocument;
  bucketStatements?: Statement[];
  selectors?: { advanced?: AdvancedSelector[]; basic?: BasicSelector[] };
  kmsKeyPolicy?: PolicyDocument;
  kmsGrants?: Array<{ granteePrincipal: string; operations: string[] }>;
  expect: Record<string, Status>;
  /** Also applied to the emulator and verified live. */
  live?: boolean;
}

const DIR = new URL("../fixtures/brownfield/", import.meta.url);

export const BROWNFIELD: Brownfield[] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ""), ...JSON.parse(readFileSync(new URL(f, DIR), "utf8")) }));

export const brownfieldConfig = (b: Brownfield): ConfigInput => ({ ...base, ...b.config }) as ConfigInput;

export const BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/log-writer-boundary";

/** The generated deployment with the fixture's changes, as facts. */
export function brownfieldFacts(b: Brownfield): Facts {
  const f = healthyFacts(brownfieldConfig(b));
  if (b.trustPolicy) {
    const role = (f.role as { value: { trustPolicy: unknown } }).value;
    role.trustPolicy = present(structuredClone(b.trustPolicy));
  }
  for (const s of b.trustStatements ?? []) trustPolicy(f).Statement.push(structuredClone(s));
  const policies = rolePolicies(f);
  if (b.writerPolicy === null) policies.splice(0, 1);
  else if (b.writerPolicy) policies[0]!.document = present(structuredClone(b.writerPolicy));
  for (const [name, doc] of Object.entries(b.inlinePolicies ?? {}))
    policies.push({ name, kind: "inline", document: present(structuredClone(doc)) });
  for (const [name, doc] of Object.entries(b.managedPolicies ?? {}))
    policies.push({
      name,
      kind: "managed",
      arn: `arn:aws:iam::123456789012:policy/${name}`,
      document: present(structuredClone(doc)),
    });
  if (b.boundary) {
    f.permissionsBoundary = present(structuredClone(b.boundary));
    (f.role as { value: { permissionsBoundaryArn?: string } }).value.permissionsBoundaryArn = BOUNDARY_ARN;
  }
  if (b.bucketPolicy) f.exportBucket.policy = present(structuredClone(b.bucketPolicy));
  for (const s of b.bucketStatements ?? []) bucketPolicy(f).Statement.push(structuredClone(s));
  if (b.selectors) f.eventSelectors = present({ basic: b.selectors.basic ?? [], advanced: b.selectors.advanced ?? [] });
  if (b.kmsKeyPolicy) f.kmsKeyPolicy = present(structuredClone(b.kmsKeyPolicy));
  if (b.kmsGrants) f.kmsGrants = present(structuredClone(b.kmsGrants));
  return f;
}
